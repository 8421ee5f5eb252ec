using Microsoft.ML;
using MlNetExt.Samples.Data;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>The DCCA paper's two views of an image: its left 14 and right 14 columns, flattened, scaled to [0, 1].</summary>
internal static class ImageHalvesData
{
    private static readonly Lazy<FashionMnistSubset> Train = new(() => FashionMnistSubset.LoadTrain());
    private static readonly Lazy<FashionMnistSubset> Test = new(() => FashionMnistSubset.LoadTest());

    /// <summary>ViewA = left half, ViewB = right half of the first <paramref name="perClass"/> images of each class.</summary>
    public static IDataView Load(MLContext ml, bool train, int perClass)
    {
        var images = (train ? Train.Value : Test.Value).TakePerClass(perClass).Images;
        const int size = FashionMnistSubset.ImageSize, half = size / 2;
        var left = new float[images.Count][];
        var right = new float[images.Count][];
        for (int i = 0; i < images.Count; i++)
        {
            left[i] = new float[size * half];
            right[i] = new float[size * half];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < half; x++)
                {
                    left[i][y * half + x] = images[i][y * size + x] / 255f;
                    right[i][y * half + x] = images[i][y * size + half + x] / 255f;
                }
        }
        return EmbeddingData.TwoViews(ml, left, right);
    }
}
