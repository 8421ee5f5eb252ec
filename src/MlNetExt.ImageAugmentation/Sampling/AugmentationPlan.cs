namespace MlNetExt.ImageAugmentation.Sampling;

/// <summary>
/// The parameters drawn for one image: one combined affine warp, one combined colour transform, noise
/// and erased rectangles. Both the <c>MLImage</c> path and the tensor path execute a plan, which is what
/// makes them agree.
/// </summary>
/// <remarks>
/// Geometry: <see cref="Inverse"/> maps an output pixel's centred coordinates (index + 0.5 - size / 2)
/// to the input's centred coordinates; sampling is bilinear and reads zeros outside the image.
/// Colour (values 0..1, RGB): out = Brightness * Contrast * (HueSaturation * x)
/// + (1 - Contrast) * Brightness * meanLuma(input) + ColorOffset + noise, then clamped to [0, 1].
/// </remarks>
internal sealed class AugmentationPlan
{
    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major 2x3 affine matrix, output centred coordinates to input centred coordinates.</summary>
    public double[] Inverse { get; } = { 1, 0, 0, 0, 1, 0 };
    public bool HasGeometry { get; set; }

    public double Brightness { get; set; } = 1;
    public double Contrast { get; set; } = 1;
    public double Saturation { get; set; } = 1;
    public double HueRadians { get; set; }
    public double[] ColorOffset { get; } = new double[3];
    public double NoiseStd { get; set; }
    public ulong NoiseSeed { get; set; }
    public List<CutoutRectangle> Cutouts { get; } = new();

    /// <summary>Bit i set: the policy's operation i was applied.</summary>
    public ulong AppliedMask { get; set; }

    public AugmentationPlan(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public bool HasColorTransform =>
        Brightness != 1 || Contrast != 1 || Saturation != 1 || HueRadians != 0
        || ColorOffset[0] != 0 || ColorOffset[1] != 0 || ColorOffset[2] != 0;

    public bool IsIdentity => !HasGeometry && !HasColorTransform && NoiseStd == 0 && Cutouts.Count == 0;

    /// <summary>Appends a forward transform whose inverse is (m00 m01 m02; m10 m11 m12): Inverse = Inverse * opInverse.</summary>
    public void AppendInverse(double m00, double m01, double m02, double m10, double m11, double m12)
    {
        var a = Inverse;
        double n00 = a[0] * m00 + a[1] * m10;
        double n01 = a[0] * m01 + a[1] * m11;
        double n02 = a[0] * m02 + a[1] * m12 + a[2];
        double n10 = a[3] * m00 + a[4] * m10;
        double n11 = a[3] * m01 + a[4] * m11;
        double n12 = a[3] * m02 + a[4] * m12 + a[5];
        a[0] = n00; a[1] = n01; a[2] = n02; a[3] = n10; a[4] = n11; a[5] = n12;
        HasGeometry = true;
    }

    /// <summary>
    /// The combined colour transform as a 3x4 matrix over RGB values in [0, 1] given the input's mean luma:
    /// out_c = sum_k M[c,k] * x_k + M[c,3].
    /// </summary>
    public double[] ColorMatrix(double meanLuma)
    {
        var hs = ColorMath.HueSaturationMatrix(HueRadians, Saturation);
        double gain = Brightness * Contrast;
        double shift = (1 - Contrast) * Brightness * meanLuma;
        var m = new double[12];
        for (int c = 0; c < 3; c++)
        {
            for (int k = 0; k < 3; k++) m[c * 4 + k] = gain * hs[c * 3 + k];
            m[c * 4 + 3] = shift + ColorOffset[c];
        }
        return m;
    }
}

/// <summary>An erased rectangle [X0, X1) x [Y0, Y1) in pixels, filled with Fill (0..1, all channels).</summary>
internal readonly record struct CutoutRectangle(int X0, int Y0, int X1, int Y1, double Fill);
