using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.Samples.Data;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>Small Fashion-MNIST slices for the classifier tests: a few classes, a few dozen images each.</summary>
internal static class FashionData
{
    private static readonly Lazy<FashionMnistSubset> Train = new(() => FashionMnistSubset.LoadTrain());
    private static readonly Lazy<FashionMnistSubset> Test = new(() => FashionMnistSubset.LoadTest());

    /// <summary>The training split (loaded once).</summary>
    public static FashionMnistSubset TrainSet => Train.Value;

    /// <summary>The test split (loaded once).</summary>
    public static FashionMnistSubset TestSet => Test.Value;

    public sealed class ImageRow
    {
        [ImageType(28, 28)]
        public MLImage Image { get; set; } = null!;

        public string Label { get; set; } = "";
    }

    public sealed class PixelRow
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    /// <summary>Rows of the given classes: up to <paramref name="perClass"/> images each, from train or test.</summary>
    public static IEnumerable<(byte[] Pixels, string Label)> Rows(bool train, int perClass, params int[] classes)
    {
        var set = train ? Train.Value : Test.Value;
        var taken = new int[10];
        for (int i = 0; i < set.Count; i++)
        {
            int c = set.Labels[i];
            if (classes.Contains(c) && taken[c]++ < perClass)
                yield return (set.Images[i], FashionMnistSubset.ClassNames[c]);
        }
    }

    /// <summary>MLImage rows with a key label (MapValueToKey applied).</summary>
    public static IDataView Images(MLContext ml, bool train, int perClass, params int[] classes)
    {
        var rows = Rows(train, perClass, classes).Select(r => new ImageRow { Image = FashionMnistSubset.ToMLImage(r.Pixels), Label = r.Label }).ToList();
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Raw gray pixel rows (28 x 28, values 0..255).</summary>
    public static IDataView Pixels(MLContext ml, bool train, int perClass, params int[] classes)
    {
        var rows = Rows(train, perClass, classes).Select(r => new PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Fits MapValueToKey on <paramref name="train"/> (so both sets share the key).</summary>
    public static ITransformer LabelToKey(MLContext ml, IDataView train) => ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
}
