using System.Globalization;
using System.Net;
using System.Text;

namespace MlNetExt.Cli.Reporting;

/// <summary>
/// One self-contained HTML page (styles inline, images as base64 data URIs, no script, no external resource), so the
/// report can be mailed or archived as one file. Sections are added in order; <see cref="MetricTable"/> renders the
/// figures of metrics.json with the same names (each value cell carries <c>data-metric</c>).
/// </summary>
internal sealed class HtmlReport
{
    private readonly List<(string Id, string Heading, string Html)> _sections = [];

    public HtmlReport(string title, string subtitle)
    {
        Title = title;
        Subtitle = subtitle;
    }

    public string Title { get; }

    public string Subtitle { get; }

    /// <summary>A warning banner at the top of the page (for example: training was stopped with Ctrl+C).</summary>
    public string? Banner { get; set; }

    public void Add(string id, string heading, string html) => _sections.Add((id, heading, html));

    public string Render()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<link rel=\"icon\" href=\"data:,\">\n");
        html.Append("<title>").Append(Encode(Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<header><h1>").Append(Encode(Title)).Append("</h1><p class=\"subtitle\">").Append(Encode(Subtitle)).Append("</p>");
        html.Append("<nav>");
        foreach (var (id, heading, _) in _sections)
            html.Append("<a href=\"#").Append(id).Append("\">").Append(Encode(heading)).Append("</a>");
        html.Append("</nav></header>\n<main>\n");
        if (Banner is not null)
            html.Append("<p class=\"banner\">").Append(Encode(Banner)).Append("</p>\n");
        foreach (var (id, heading, content) in _sections)
            html.Append("<section id=\"").Append(id).Append("\"><h2>").Append(Encode(heading)).Append("</h2>\n").Append(content).Append("\n</section>\n");
        html.Append("</main>\n<footer>Written by mlnetext.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A table; cells are text (encoded).</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? id = null, string? css = null)
    {
        var html = new StringBuilder("<table");
        if (id is not null) html.Append(" id=\"").Append(id).Append('"');
        if (css is not null) html.Append(" class=\"").Append(css).Append('"');
        html.Append("><thead><tr>");
        foreach (var h in headers) html.Append("<th>").Append(Encode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The run's headline metrics: one row per metrics.json entry, the value formatted with <see cref="Number"/>.</summary>
    public static string MetricTable(IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, string> descriptions)
    {
        var html = new StringBuilder("<table id=\"metrics\" class=\"metrics\"><thead><tr><th>metric</th><th>value</th><th>meaning</th></tr></thead><tbody>");
        foreach (var (name, value) in metrics)
        {
            html.Append("<tr><th scope=\"row\"><code>").Append(Encode(name)).Append("</code></th><td class=\"num\" data-metric=\"")
                .Append(Encode(name)).Append("\">").Append(Number(value)).Append("</td><td>")
                .Append(Encode(descriptions.GetValueOrDefault(name, ""))).Append("</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>An SVG chart as an inline image.</summary>
    public static string Image(byte[] svg, string alt, int? width = null, string? css = null)
    {
        var html = new StringBuilder("<img alt=\"").Append(Encode(alt)).Append('"');
        if (width is int w) html.Append(" width=\"").Append(w.ToString(CultureInfo.InvariantCulture)).Append('"');
        if (css is not null) html.Append(" class=\"").Append(css).Append('"');
        return html.Append(" src=\"data:image/svg+xml;base64,").Append(Convert.ToBase64String(svg)).Append("\">").ToString();
    }

    /// <summary>An image file's bytes as an inline image of the given MIME type (thumbnails of data-set images).</summary>
    public static string InlineImage(byte[] bytes, string mimeType, string alt, int width) =>
        $"<img alt=\"{Encode(alt)}\" width=\"{width.ToString(CultureInfo.InvariantCulture)}\" src=\"data:{mimeType};base64,{Convert.ToBase64String(bytes)}\">";

    /// <summary>A figure: an inline SVG chart with a caption.</summary>
    public static string Figure(byte[] svg, string caption) =>
        $"<figure>{Image(svg, caption)}<figcaption>{Encode(caption)}</figcaption></figure>";

    public static string Paragraph(string text) => $"<p>{Encode(text)}</p>";

    /// <summary>How the report shows a number: 6 significant digits, invariant culture ("NaN" for NaN).</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
        header { background: #24292f; color: #fff; padding: 16px 32px; }
        header h1 { margin: 0 0 4px 0; font-size: 24px; }
        .subtitle { margin: 0 0 8px 0; color: #d0d7de; }
        nav a { color: #9ecbff; margin-right: 16px; text-decoration: none; font-size: 14px; }
        main { padding: 8px 32px 32px 32px; max-width: 1200px; }
        section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 20px 16px 20px; margin-top: 16px; }
        h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 6px; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
        th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { display: inline-block; margin: 8px 16px 8px 0; }
        figure img { max-width: 100%; border: 1px solid #d0d7de; }
        figcaption { font-size: 13px; color: #57606a; }
        .banner { background: #fff8c5; border: 1px solid #d4a72c; padding: 10px 16px; border-radius: 6px; }
        .thumbs { display: flex; flex-wrap: wrap; gap: 12px; }
        .thumb { font-size: 12px; text-align: center; width: 120px; }
        .thumb img { width: 96px; height: 96px; image-rendering: pixelated; border: 1px solid #d0d7de; }
        table.confusion td { text-align: right; min-width: 36px; }
        footer { color: #57606a; font-size: 12px; padding: 16px 32px; }
        code { font-size: 13px; }
        """;
}
