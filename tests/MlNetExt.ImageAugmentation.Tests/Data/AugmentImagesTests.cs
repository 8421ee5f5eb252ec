using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.Samples.Data;
using Xunit;

namespace MlNetExt.ImageAugmentation.Tests.Data;

public class AugmentImagesTests
{
    private static readonly FashionMnistSubset Train = FashionMnistSubset.LoadTrain();

    private static IDataView Small(MLContext ml, int perClass = 3) => Train.TakePerClass(perClass).ToDataView(ml);

    private static List<(byte[] Pixels, string Label, uint Index)> ReadAll(IDataView data)
    {
        var rows = new List<(byte[], string, uint)>();
        using var cursor = data.GetRowCursor(data.Schema);
        var image = cursor.GetGetter<MLImage>(data.Schema["Image"]);
        var label = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Label"]);
        var index = cursor.GetGetter<uint>(data.Schema["LabelIndex"]);
        MLImage img = null!;
        ReadOnlyMemory<char> l = default;
        uint i = 0;
        while (cursor.MoveNext())
        {
            image(ref img); label(ref l); index(ref i);
            rows.Add((img.Pixels.ToArray(), l.ToString(), i));
        }
        return rows;
    }

    [Fact]
    public void Each_row_is_followed_by_its_augmented_copies_with_other_columns_carried_along()
    {
        var ml = new MLContext(1);
        var source = Small(ml);
        var augmented = ml.Data.AugmentImages(source, "Image", AugmentationPolicy.Default, copiesPerImage: 2, seed: 7);
        Assert.Equal(30 * 3, augmented.GetRowCount());
        Assert.Equal(source.Schema["Image"].Type, augmented.Schema["Image"].Type);

        var original = ReadAll(source);
        var rows = ReadAll(augmented);
        Assert.Equal(90, rows.Count);
        int changedCopies = 0;
        for (int r = 0; r < 30; r++)
        {
            Assert.Equal(original[r].Pixels, rows[3 * r].Pixels);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(original[r].Label, rows[3 * r + k].Label);
                Assert.Equal(original[r].Index, rows[3 * r + k].Index);
            }
            for (int k = 1; k < 3; k++)
                if (!original[r].Pixels.SequenceEqual(rows[3 * r + k].Pixels)) changedCopies++;
        }
        Assert.True(changedCopies >= 50, $"only {changedCopies} of 60 copies differ from their original");
    }

    [Fact]
    public void Same_seed_gives_the_same_rows_on_every_pass_and_another_seed_differs()
    {
        var ml = new MLContext(1);
        var source = Small(ml);
        var a = ml.Data.AugmentImages(source, "Image", AugmentationPolicy.Strong, 1, seed: 3);
        var b = ml.Data.AugmentImages(source, "Image", AugmentationPolicy.Strong, 1, seed: 4);
        var first = ReadAll(a);
        var second = ReadAll(a);
        var other = ReadAll(b);
        Assert.Equal(first.Select(r => r.Pixels), second.Select(r => r.Pixels));
        Assert.True(first.Zip(other).Count(p => !p.First.Pixels.SequenceEqual(p.Second.Pixels)) >= 20);
    }

    [Fact]
    public void The_view_is_lazy_and_augments_only_rows_and_columns_that_are_read()
    {
        var ml = new MLContext(1);
        var counting = new CountingDataView(Small(ml), "Image");
        var augmented = ml.Data.AugmentImages(counting, "Image", AugmentationPolicy.Default, copiesPerImage: 4, seed: 1);
        Assert.Equal(0, counting.CursorsOpened);

        using (var cursor = augmented.GetRowCursor(augmented.Schema))
        {
            var image = cursor.GetGetter<MLImage>(augmented.Schema["Image"]);
            MLImage img = null!;
            for (int i = 0; i < 6; i++) { Assert.True(cursor.MoveNext()); image(ref img); }
        }
        Assert.Equal(2, counting.RowsRead); // rows 0-4 come from source row 0, row 5 from source row 1
        Assert.Equal(6, counting.ImagesRead);

        counting.ImagesRead = 0;
        using (var cursor = augmented.GetRowCursor(new[] { augmented.Schema["Label"] }))
        {
            int n = 0;
            while (cursor.MoveNext()) n++;
            Assert.Equal(150, n);
        }
        Assert.Equal(0, counting.ImagesRead);
    }

    [Fact]
    public void Standard_image_transforms_consume_the_augmented_column()
    {
        var ml = new MLContext(1);
        var augmented = ml.Data.AugmentImages(Small(ml), "Image", AugmentationPolicy.Default, 1, seed: 2);
        var pixels = ml.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red)
            .Fit(augmented).Transform(augmented);
        var vectors = pixels.GetColumn<VBuffer<float>>("Pixels").ToList();
        Assert.Equal(60, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(28 * 28, v.Length));
    }

    [Fact]
    public void Non_image_column_is_rejected_naming_the_column_and_its_type()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.Data.AugmentImages(Small(ml), "Label", AugmentationPolicy.Default));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("image", e.Message);
        Assert.Contains("String", e.Message);
        Assert.Equal("imageColumnName", e.ParamName);
    }

    [Fact]
    public void Missing_column_and_negative_copies_are_rejected()
    {
        var ml = new MLContext(1);
        var data = Small(ml);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.AugmentImages(data, "Picture", AugmentationPolicy.Default));
        Assert.Contains("'Picture'", missing.Message);
        var copies = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.AugmentImages(data, "Image", AugmentationPolicy.Default, -1));
        Assert.Equal("copiesPerImage", copies.ParamName);
    }

    [Fact]
    public void Empty_image_fails_when_read_naming_the_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = Train.TakePerClass(1).Rows().ToList();
        rows[2].Image = null!;
        var augmented = ml.Data.AugmentImages(ml.Data.LoadFromEnumerable(rows), "Image", AugmentationPolicy.Default, 1);
        var e = Assert.Throws<InvalidDataException>(() => augmented.GetColumn<MLImage>("Image").ToList());
        Assert.Contains("'Image'", e.Message);
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void Class_policy_override_applies_only_to_its_label()
    {
        var ml = new MLContext(1);
        var source = Small(ml);
        var policy = new ClassAugmentationPolicy(AugmentationPolicy.Strong).WithOverride("Trouser", AugmentationPolicy.None);
        var augmented = ml.Data.AugmentImages(source, "Image", policy, copiesPerImage: 1, labelColumnName: "Label", seed: 5);
        var rows = ReadAll(augmented);
        for (int r = 0; r < rows.Count; r += 2)
        {
            bool same = rows[r].Pixels.SequenceEqual(rows[r + 1].Pixels);
            if (rows[r].Label == "Trouser") Assert.True(same);
        }
        Assert.True(Enumerable.Range(0, rows.Count / 2).Count(i => rows[2 * i].Label != "Trouser"
            && !rows[2 * i].Pixels.SequenceEqual(rows[2 * i + 1].Pixels)) >= 24);
        Assert.Throws<ArgumentNullException>(() => ml.Data.AugmentImages(source, "Image", policy, 1));
    }

    [Fact]
    public void Class_policy_matches_key_labels_by_their_key_values()
    {
        var ml = new MLContext(1);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(Small(ml)).Transform(Small(ml));
        var policy = new ClassAugmentationPolicy(AugmentationPolicy.None).WithOverride("Bag", new AugmentationPolicy(
            new[] { new MlNetExt.ImageAugmentation.Operations.VerticalFlip(1) }));
        var rows = ReadAll(ml.Data.AugmentImages(keyed, "Image", policy, 1, labelColumnName: "Key", seed: 1));
        for (int r = 0; r < rows.Count; r += 2)
            Assert.Equal(rows[r].Label != "Bag", rows[r].Pixels.SequenceEqual(rows[r + 1].Pixels));
    }

    [Fact]
    public void Rebalancing_brings_every_class_to_the_majority_count_with_augmented_copies()
    {
        var ml = new MLContext(1);
        var all = Train.TakePerClass(20).Rows().ToList();
        // imbalanced: 20 T-shirts, 5 trousers, 8 pullovers
        var rows = all.Where(r => r.LabelIndex == 0)
            .Concat(all.Where(r => r.LabelIndex == 1).Take(5))
            .Concat(all.Where(r => r.LabelIndex == 2).Take(8)).ToList();
        var source = ml.Data.LoadFromEnumerable(rows);
        var balanced = ml.Data.BalanceClassesByAugmenting(source, "Image", "Label", AugmentationPolicy.Default, seed: 3);
        Assert.Equal(60, balanced.GetRowCount());
        var read = ReadAll(balanced);
        Assert.Equal(60, read.Count);
        Assert.All(read.GroupBy(r => r.Label), g => Assert.Equal(20, g.Count()));
        // every original row is kept
        var originals = ReadAll(source);
        Assert.All(originals, o => Assert.Contains(read, r => r.Pixels.SequenceEqual(o.Pixels)));
        var counts = ml.Data.CountRowsPerLabel(balanced, "Label");
        Assert.Equal(new[] { 20L, 20L, 20L }, counts.Values.ToArray());

        var toThirty = ml.Data.BalanceClassesByAugmenting(source, "Image", "Label", AugmentationPolicy.Default, targetCountPerClass: 30);
        Assert.Equal(90, ReadAll(toThirty).Count);
    }
}
