using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation;
using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.Samples.Data;

namespace EmbeddingFaces;

/// <summary>
/// "Photos" of an identity: random views of one image under the nuisances a face photo varies in (pose as rotation,
/// distance as scale, framing as shift, lighting as brightness and contrast, sensor noise), mild enough that the
/// image stays recognisable.
/// </summary>
public static class PhotoViews
{
    public static AugmentationPolicy Policy { get; } = new(new AugmentationOperation[]
    {
        new Rotate(-20, 20, probability: 0.8),
        new ScaleCrop(0.7, 1.0, 0.9, 1.1, probability: 0.6),
        new Shift(0.1, 0.1, probability: 0.8),
        new Brightness(0.6, 1.4, probability: 0.8),
        new Contrast(0.6, 1.4, probability: 0.8),
        new GaussianNoise(0.0, 0.06, probability: 0.7),
    }, name: "Photo");

    /// <summary>Fixed views of an image: view v of image i is drawn from (seed, i, v), so every run sees the same pixels.</summary>
    public static byte[] View(byte[] gray, int imageIndex, int view, int seed)
    {
        using var image = FashionMnistSubset.ToMLImage(gray);
        using var augmented = ImageAugmenter.Augment(image, Policy, ((long)seed * 1_000_003 + imageIndex) * 1_009 + view);
        var bgra = augmented.Pixels;
        var result = new byte[gray.Length];
        for (int p = 0; p < result.Length; p++)
            result[p] = bgra[p * 4];
        return result;
    }
}
