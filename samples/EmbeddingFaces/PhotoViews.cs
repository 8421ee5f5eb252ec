using MlNetExt.Core.Torch;
using MlNetExt.ImageAugmentation;
using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.Samples.Data;
using TorchSharp;

namespace EmbeddingFaces;

/// <summary>
/// "Photos" of an identity: random views of one image under the nuisances a face photo varies in (pose as rotation and
/// shear, distance as zoom in and out, framing as shift, lighting as multiplicative and additive brightness and contrast,
/// sensor noise), mild enough that the image stays recognisable. The same policy defines the identities protocol of
/// benchmarks/MlNetExt.Benchmarks (triplet mode) and of the PyTorch reference (benchmarks/TripletReference, PHOTO).
/// </summary>
public static class PhotoViews
{
    /// <summary>The seed of the held-out identities' fixed views.</summary>
    public const int FixedViewSeed = 20261123;

    public static AugmentationPolicy Policy { get; } = new(new AugmentationOperation[]
    {
        new Rotate(-15, 15, probability: 0.8),
        new Zoom(0.8, 1.25, probability: 0.8),
        new Shift(0.1, 0.1, probability: 0.8),
        new Shear(-10, 10, probability: 0.5),
        new Brightness(0.7, 1.3, probability: 0.8),
        new BrightnessShift(-0.1, 0.1, probability: 0.5),
        new Contrast(0.7, 1.3, probability: 0.8),
        new GaussianNoise(0.0, 0.06, probability: 0.7),
    }, name: "Photo");

    /// <summary>
    /// Fixed views of images: view v of image i is drawn by the batched tensor augmenter at (seed, epoch v, batch 0, position i),
    /// so every run sees the same pixels. (MLImage-based augmentation is not used here: ScottPlot's SkiaSharp 3 and
    /// ML.NET's image types cannot share a process.)
    /// </summary>
    public static byte[][][] FixedViews(IReadOnlyList<byte[]> images, int views, int seed = FixedViewSeed)
    {
        const int size = FashionMnistSubset.ImageSize;
        var augmenter = new BatchAugmenter(Policy, seed);
        var result = images.Select(_ => new byte[views][]).ToArray();
        using var scope = torch.NewDisposeScope();
        var pixels = images.SelectMany(image => image.Select(b => b / 255f)).ToArray();
        var batch = torch.tensor(pixels, new long[] { images.Count, 1, size, size });
        for (int v = 0; v < views; v++)
        {
            var augmented = augmenter.Apply(batch, v, 0).Times(255).round().ClampedTo(0, 255).to(torch.ScalarType.Byte).contiguous();
            var bytes = augmented.data<byte>().ToArray();
            for (int i = 0; i < images.Count; i++)
                result[i][v] = bytes.AsSpan(i * size * size, size * size).ToArray();
        }
        return result;
    }
}
