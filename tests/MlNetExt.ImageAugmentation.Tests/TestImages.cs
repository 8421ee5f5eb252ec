using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.ImageAugmentation.Tests;

/// <summary>Synthetic, asymmetric, smooth colour images and conversions for the tests.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour image with no symmetry (so flips and rotations are visible), BGRA32.</summary>
    public static MLImage Colorful(int width = 32, int height = 24, int variant = 0)
    {
        var bgra = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 4;
                double r = 127 + 100 * Math.Sin(0.31 * x + 0.17 * y + variant);
                double g = 127 + 90 * Math.Cos(0.13 * x - 0.29 * y + 0.5 * variant);
                double b = 20 + 200.0 * (x + 2 * y) / (width + 2 * height);
                bgra[o] = (byte)b; bgra[o + 1] = (byte)g; bgra[o + 2] = (byte)r; bgra[o + 3] = 255;
            }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }

    public static byte[] Bytes(MLImage image) => image.Pixels.ToArray();

    /// <summary>Channel value (0 = R, 1 = G, 2 = B) at (x, y) of a BGRA32 image.</summary>
    public static byte At(byte[] bgra, int width, int x, int y, int channel) => bgra[(y * width + x) * 4 + (2 - channel)];

    /// <summary>A BGRA32 image as a float32 [1, 3, H, W] RGB tensor in [0, 1].</summary>
    public static Tensor ToTensor(MLImage image)
    {
        int w = image.Width, h = image.Height;
        var px = Bytes(image);
        var data = new float[3 * h * w];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < h * w; i++)
                data[c * h * w + i] = px[i * 4 + (2 - c)] / 255f;
        return tensor(data, new long[] { 1, 3, h, w });
    }

    /// <summary>Applies a plan drawn by a policy for a given seed through the MLImage path.</summary>
    public static MLImage Execute(MLImage image, AugmentationPolicy policy, ulong seed) =>
        ImageAugmenter.Execute(image, policy.Sample(seed, image.Width, image.Height));

    public static int CountDifferentBytes(byte[] a, byte[] b) => a.Zip(b).Count(p => p.First != p.Second);
}
