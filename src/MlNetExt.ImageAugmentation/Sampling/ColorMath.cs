namespace MlNetExt.ImageAugmentation.Sampling;

/// <summary>Linear colour operators over RGB shared by both execution paths.</summary>
internal static class ColorMath
{
    /// <summary>ITU-R BT.601 luma weights (R, G, B), as used by torchvision's grayscale.</summary>
    public const double LumaR = 0.299, LumaG = 0.587, LumaB = 0.114;

    // RGB -> YIQ (FCC NTSC); the I and Q rows sum to zero, so grays stay gray under hue rotation.
    private static readonly double[] RgbToYiq =
    {
        0.299, 0.587, 0.114,
        0.595716, -0.274453, -0.321263,
        0.211456, -0.522591, 0.311135,
    };

    private static readonly double[] YiqToRgb = Invert3(RgbToYiq);

    /// <summary>Hue rotation (about the gray axis, in YIQ space) after saturation scaling, as one 3x3 matrix.</summary>
    public static double[] HueSaturationMatrix(double hueRadians, double saturation)
    {
        // saturation: s * I + (1 - s) * 1 * luma^T
        var sat = new double[9];
        double[] luma = { LumaR, LumaG, LumaB };
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                sat[r * 3 + c] = (r == c ? saturation : 0) + (1 - saturation) * luma[c];
        if (hueRadians == 0) return sat;
        double cos = Math.Cos(hueRadians), sin = Math.Sin(hueRadians);
        double[] rot = { 1, 0, 0, 0, cos, -sin, 0, sin, cos };
        var hue = Multiply3(YiqToRgb, Multiply3(rot, RgbToYiq));
        return Multiply3(hue, sat);
    }

    public static double[] Multiply3(double[] a, double[] b)
    {
        var m = new double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
        return m;
    }

    public static double[] Invert3(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new[]
        {
            (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
            (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
        };
    }
}
