using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Samples.Data;
using Xunit;

namespace MlNetExt.ImageAugmentation.Tests.Data;

/// <summary><c>mlContext.DeepLearning().Data.AugmentImages</c> draws its seed from the user's context when none is given.</summary>
public class DeepLearningAugmentImagesTests
{
    private static readonly FashionMnistSubset Train = FashionMnistSubset.LoadTrain();

    private static byte[][] Pixels(IDataView data)
    {
        var rows = new List<byte[]>();
        using var cursor = data.GetRowCursor(data.Schema);
        var image = cursor.GetGetter<MLImage>(data.Schema["Image"]);
        MLImage img = null!;
        while (cursor.MoveNext())
        {
            image(ref img);
            rows.Add(img.Pixels.ToArray());
        }
        return rows.ToArray();
    }

    private static byte[][] Augment(int contextSeed, int? seed = null)
    {
        var ml = new MLContext(contextSeed);
        var source = Train.TakePerClass(2).ToDataView(ml);
        return Pixels(ml.DeepLearning().Data.AugmentImages(source, "Image", AugmentationPolicy.Strong, copiesPerImage: 1, seed: seed));
    }

    [Fact]
    public void The_contexts_seed_decides_the_augmentation_when_no_seed_is_given()
    {
        var first = Augment(contextSeed: 1);

        Assert.Equal(first, Augment(contextSeed: 1));
        Assert.NotEqual(first, Augment(contextSeed: 2));
    }

    [Fact]
    public void An_explicit_seed_gives_the_same_rows_as_the_MLNET_catalog()
    {
        var ml = new MLContext(5);
        var source = Train.TakePerClass(2).ToDataView(ml);

        Assert.Equal(Pixels(ml.Data.AugmentImages(source, "Image", AugmentationPolicy.Strong, 1, seed: 9)), Augment(contextSeed: 1, seed: 9));
        Assert.Equal(ml.Data.CountRowsPerLabel(source, "Label"), ml.DeepLearning().Data.CountRowsPerLabel(source, "Label"));
    }
}
