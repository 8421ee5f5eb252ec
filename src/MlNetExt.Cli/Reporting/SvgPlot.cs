using System.Globalization;
using System.Net;
using System.Text;

namespace MlNetExt.Cli.Reporting;

/// <summary>
/// A small x-y chart drawn as SVG (lines, points, dashed reference lines, a legend, axes with ticks), so the report needs
/// no plotting library and no native drawing code (which would clash with the image decoder the image scenarios load).
/// </summary>
internal sealed class SvgPlot(string title, string xLabel, string yLabel)
{
    private const int Width = 720, Height = 420, Left = 72, Right = 24, Top = 44, Bottom = 56;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private readonly List<Series> _series = [];
    private readonly List<(double X, string Label)> _verticals = [];
    private (double XMin, double XMax, double YMin, double YMax)? _limits;

    private sealed record Series(string Name, double[] X, double[] Y, bool Line, bool Markers, bool Dashed, string? Color);

    public SvgPlot Line(string name, double[] x, double[] y, bool markers = false) => Add(new Series(name, x, y, true, markers, false, null));

    public SvgPlot Points(string name, double[] x, double[] y) => Add(new Series(name, x, y, false, true, false, null));

    /// <summary>A dashed grey reference segment (y = x, chance, ...).</summary>
    public SvgPlot Reference(string name, double x0, double y0, double x1, double y1) =>
        Add(new Series(name, [x0, x1], [y0, y1], true, false, true, "#888888"));

    public SvgPlot Vertical(double x, string label)
    {
        _verticals.Add((x, label));
        return this;
    }

    public SvgPlot Limits(double xMin, double xMax, double yMin, double yMax)
    {
        _limits = (xMin, xMax, yMin, yMax);
        return this;
    }

    private SvgPlot Add(Series series)
    {
        _series.Add(series);
        return this;
    }

    /// <summary>The chart as UTF-8 SVG.</summary>
    public byte[] Render()
    {
        var (xMin, xMax, yMin, yMax) = _limits ?? Bounds();
        double X(double v) => Left + (v - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double v) => Height - Bottom - (v - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Encode(title)}</text>");
        foreach (double tick in Ticks(xMin, xMax))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(tick))}\" y1=\"{Top}\" x2=\"{F(X(tick))}\" y2=\"{Height - Bottom}\" stroke=\"#eeeeee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(tick))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Label(tick)}</text>");
        }
        foreach (double tick in Ticks(yMin, yMax))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(tick))}\" x2=\"{Width - Right}\" y2=\"{F(Y(tick))}\" stroke=\"#eeeeee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{Label(tick)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 14}\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Encode(yLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<clipPath id=\"plot-area\"><rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\"/></clipPath><g clip-path=\"url(#plot-area)\">");
        foreach (var (x, label) in _verticals)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(x))}\" y1=\"{Top}\" x2=\"{F(X(x))}\" y2=\"{Height - Bottom}\" stroke=\"#888888\" stroke-dasharray=\"5 4\"><title>{Encode(label)}</title></line>");
        int colour = 0;
        var legend = new List<(string Name, string Color, bool Dashed)>();
        foreach (var s in _series)
        {
            string color = s.Color ?? Palette[colour++ % Palette.Length];
            legend.Add((s.Name, color, s.Dashed));
            var points = Enumerable.Range(0, Math.Min(s.X.Length, s.Y.Length)).Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
                .Select(i => (X: X(s.X[i]), Y: Y(s.Y[i]))).ToArray();
            if (s.Line && points.Length > 1)
                svg.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"2\"").Append(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")
                    .Append(" points=\"").AppendJoin(' ', points.Select(p => F(p.X) + "," + F(p.Y))).Append("\"/>");
            if (s.Markers)
                foreach (var p in points)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(p.X)}\" cy=\"{F(p.Y)}\" r=\"3\" fill=\"{color}\" fill-opacity=\"0.7\"/>");
        }
        svg.Append("</g>");
        for (int i = 0; i < legend.Count; i++)
        {
            double y = Top + 14 + i * 16;
            var (name, color, dashed) = legend[i];
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right - 190}\" y1=\"{F(y - 4)}\" x2=\"{Width - Right - 170}\" y2=\"{F(y - 4)}\" stroke=\"{color}\" stroke-width=\"3\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 164}\" y=\"{F(y)}\">{Encode(name)}</text>");
        }
        svg.Append("</svg>");
        return Encoding.UTF8.GetBytes(svg.ToString());
    }

    private (double, double, double, double) Bounds()
    {
        var xs = _series.SelectMany(s => s.X).Concat(_verticals.Select(v => v.X)).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var ys = _series.SelectMany(s => s.Y).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (x0, x1) = Pad(xs.Min(), xs.Max());
        var (y0, y1) = Pad(ys.Min(), ys.Max());
        return (x0, x1, y0, y1);
    }

    private static (double, double) Pad(double low, double high)
    {
        if (high <= low)
            return (low - 1, high + 1);
        double margin = (high - low) * 0.05;
        return (low - margin, high + margin);
    }

    /// <summary>About five round tick values inside [low, high].</summary>
    private static IEnumerable<double> Ticks(double low, double high)
    {
        double raw = (high - low) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(low / step) * step; t <= high + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    private static string Label(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
