using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Samples.Data;

namespace MlNetExt.Samples.DetectingTumors;

/// <summary>Builds the stand-in "scan" data sets from the Fashion-MNIST subset as raw gray pixel vectors.</summary>
internal static class ScanData
{
    public sealed class ScanRow
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public bool Tumour { get; set; }
    }

    public sealed class ClassRow
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    /// <summary>The first <paramref name="positives"/> images of the positive class and <paramref name="negativesPerClass"/> of each negative class.</summary>
    public static IDataView Binary(MLContext ml, FashionMnistSubset set, int positive, int positives, int[] negatives, int negativesPerClass)
    {
        var taken = new int[10];
        var rows = new List<ScanRow>();
        for (int i = 0; i < set.Count; i++)
        {
            int c = set.Labels[i];
            int limit = c == positive ? positives : negatives.Contains(c) ? negativesPerClass : 0;
            if (taken[c]++ < limit)
                rows.Add(new ScanRow { Pixels = set.Images[i].Select(b => (float)b).ToArray(), Tumour = c == positive });
        }
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>A multiclass set (key label) of the given classes.</summary>
    public static IDataView Multiclass(MLContext ml, FashionMnistSubset set, int[] classes, int perClass)
    {
        var taken = new int[10];
        var rows = new List<ClassRow>();
        for (int i = 0; i < set.Count; i++)
        {
            int c = set.Labels[i];
            if (classes.Contains(c) && taken[c]++ < perClass)
                rows.Add(new ClassRow { Pixels = set.Images[i].Select(b => (float)b).ToArray(), Label = FashionMnistSubset.ClassNames[c] });
        }
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }
}
