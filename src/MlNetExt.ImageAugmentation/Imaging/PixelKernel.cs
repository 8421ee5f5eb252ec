using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation;

/// <summary>The tight loops over 4-byte pixels (BGRA or RGBA) that execute an <see cref="AugmentationPlan"/>.</summary>
internal static unsafe class PixelKernel
{
    public static void Run(ReadOnlySpan<byte> source, Span<byte> target, int w, int h, bool bgra, AugmentationPlan plan)
    {
        int ri = bgra ? 2 : 0, gi = 1, bi = bgra ? 0 : 2;
        bool color = plan.HasColorTransform;
        float k00 = 1, k01 = 0, k02 = 0, k03 = 0, k10 = 0, k11 = 1, k12 = 0, k13 = 0, k20 = 0, k21 = 0, k22 = 1, k23 = 0;
        if (color)
        {
            double mean = plan.Contrast != 1 ? MeanLuma(source, w, h, ri, gi, bi) : 0;
            var m = plan.ColorMatrix(mean);
            k00 = (float)m[0]; k01 = (float)m[1]; k02 = (float)m[2]; k03 = (float)(m[3] * 255);
            k10 = (float)m[4]; k11 = (float)m[5]; k12 = (float)m[6]; k13 = (float)(m[7] * 255);
            k20 = (float)m[8]; k21 = (float)m[9]; k22 = (float)m[10]; k23 = (float)(m[11] * 255);
        }
        float noise = (float)(plan.NoiseStd * 255 * Math.Sqrt(3));
        var random = new DeterministicRandom(plan.NoiseSeed);
        var a = plan.Inverse;
        float a00 = (float)a[0], a01 = (float)a[1], a10 = (float)a[3], a11 = (float)a[4];
        // input pixel coordinate = A * (output centred) + t + size / 2 - 0.5
        float tx = (float)(a[2] + w / 2.0 - 0.5), ty = (float)(a[5] + h / 2.0 - 0.5);
        bool geometry = plan.HasGeometry;
        int stride = w * 4;

        fixed (byte* src = source)
        fixed (byte* dst = target)
        {
            for (int v = 0; v < h; v++)
            {
                float yo = v + 0.5f - h / 2f;
                float xo0 = 0.5f - w / 2f;
                float px = a00 * xo0 + a01 * yo + tx;
                float py = a10 * xo0 + a11 * yo + ty;
                byte* o = dst + v * stride;
                byte* row = src + v * stride;
                for (int u = 0; u < w; u++, o += 4, px += a00, py += a10)
                {
                    float r, g, b;
                    if (!geometry)
                    {
                        byte* p = row + u * 4;
                        r = p[ri]; g = p[gi]; b = p[bi];
                    }
                    else
                    {
                        int x0 = (int)px, y0 = (int)py;
                        if (px < x0) x0--;
                        if (py < y0) y0--;
                        float fx = px - x0, fy = py - y0;
                        if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
                        {
                            byte* p00 = src + y0 * stride + x0 * 4;
                            byte* p10 = p00 + stride;
                            float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                            r = w00 * p00[ri] + w01 * p00[4 + ri] + w10 * p10[ri] + w11 * p10[4 + ri];
                            g = w00 * p00[gi] + w01 * p00[4 + gi] + w10 * p10[gi] + w11 * p10[4 + gi];
                            b = w00 * p00[bi] + w01 * p00[4 + bi] + w10 * p10[bi] + w11 * p10[4 + bi];
                        }
                        else if (x0 < -1 || x0 >= w || y0 < -1 || y0 >= h)
                        {
                            r = g = b = 0;
                        }
                        else
                        {
                            r = g = b = 0;
                            Accumulate(src, w, h, stride, x0, y0, (1 - fx) * (1 - fy), ri, gi, bi, ref r, ref g, ref b);
                            Accumulate(src, w, h, stride, x0 + 1, y0, fx * (1 - fy), ri, gi, bi, ref r, ref g, ref b);
                            Accumulate(src, w, h, stride, x0, y0 + 1, (1 - fx) * fy, ri, gi, bi, ref r, ref g, ref b);
                            Accumulate(src, w, h, stride, x0 + 1, y0 + 1, fx * fy, ri, gi, bi, ref r, ref g, ref b);
                        }
                    }
                    if (color)
                    {
                        float nr = k00 * r + k01 * g + k02 * b + k03;
                        float ng = k10 * r + k11 * g + k12 * b + k13;
                        float nb = k20 * r + k21 * g + k22 * b + k23;
                        r = nr; g = ng; b = nb;
                    }
                    if (noise != 0)
                    {
                        r += noise * ApproximateGaussian(ref random);
                        g += noise * ApproximateGaussian(ref random);
                        b += noise * ApproximateGaussian(ref random);
                    }
                    o[ri] = ToByte(r);
                    o[gi] = ToByte(g);
                    o[bi] = ToByte(b);
                    o[3] = 255;
                }
            }

            foreach (var c in plan.Cutouts)
            {
                byte fill = ToByte((float)(c.Fill * 255));
                for (int y = c.Y0; y < c.Y1; y++)
                {
                    byte* o = dst + y * stride + c.X0 * 4;
                    for (int x = c.X0; x < c.X1; x++, o += 4)
                    {
                        o[0] = fill; o[1] = fill; o[2] = fill; o[3] = 255;
                    }
                }
            }
        }
    }

    private static void Accumulate(byte* src, int w, int h, int stride, int x, int y, float weight,
        int ri, int gi, int bi, ref float r, ref float g, ref float b)
    {
        if ((uint)x >= (uint)w || (uint)y >= (uint)h) return;
        byte* p = src + y * stride + x * 4;
        r += weight * p[ri];
        g += weight * p[gi];
        b += weight * p[bi];
    }

    private static byte ToByte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);

    /// <summary>Zero mean, variance 1/3: the sum of four 16-bit uniforms minus 2 (callers scale by sqrt 3).</summary>
    private static float ApproximateGaussian(ref DeterministicRandom random)
    {
        ulong x = random.NextUInt64();
        uint s = (uint)(x & 0xFFFF) + (uint)((x >> 16) & 0xFFFF) + (uint)((x >> 32) & 0xFFFF) + (uint)(x >> 48);
        return s * (1f / 65535f) - 2f;
    }

    /// <summary>Mean BT.601 luma of the image in [0, 1].</summary>
    public static double MeanLuma(ReadOnlySpan<byte> source, int w, int h, int ri, int gi, int bi)
    {
        long sr = 0, sg = 0, sb = 0;
        int n = w * h;
        for (int i = 0; i < n; i++)
        {
            int o = i * 4;
            sr += source[o + ri];
            sg += source[o + gi];
            sb += source[o + bi];
        }
        return (ColorMath.LumaR * sr + ColorMath.LumaG * sg + ColorMath.LumaB * sb) / (255.0 * n);
    }
}
