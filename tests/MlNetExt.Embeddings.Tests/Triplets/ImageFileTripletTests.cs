using Microsoft.ML;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.Samples.Data;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

public sealed class ImageFileTripletTests
{
    private sealed class PathRow
    {
        public string Path { get; set; } = "";

        public string Label { get; set; } = "";
    }

    /// <summary>Writes 4 images of each of 4 classes as PNG files; returns the rows (file name, class name).</summary>
    private static List<PathRow> WritePngs(string folder)
    {
        Directory.CreateDirectory(folder);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(4);
        var rows = new List<PathRow>();
        for (int i = 0; i < images.Count; i++)
        {
            if (images.Labels[i] >= 4)
                continue;
            using var image = images.ToMLImage(i);
            var name = $"{i:D3}.png";
            image.Save(Path.Combine(folder, name));
            rows.Add(new PathRow { Path = name, Label = FashionMnistSubset.ClassNames[images.Labels[i]] });
        }
        return rows;
    }

    private static TripletEmbeddingOptions Options()
    {
        var options = FashionTripletFixture.Options(1);
        options.ClassesPerBatch = 4;
        return options;
    }

    [Fact]
    public void Image_files_train_after_LoadImages_and_the_whole_pipeline_saves_and_loads()
    {
        var ml = new MLContext(1);
        var folder = Path.Combine(Path.GetTempPath(), $"triplet-png-{Guid.NewGuid():N}");
        var zip = Path.Combine(Path.GetTempPath(), $"triplet-png-{Guid.NewGuid():N}.zip");
        try
        {
            var data = ml.Data.LoadFromEnumerable(WritePngs(folder));
            var pipeline = ml.Transforms.LoadImages("Image", folder, "Path").Append(new TripletEmbeddingEstimator(ml, Options()));
            var model = pipeline.Fit(data);
            var embeddings = EmbeddingData.Column(model.Transform(data), "Embedding");
            Assert.Equal(16, embeddings.Length);
            Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 4));

            ml.Model.Save(model, data.Schema, zip);
            var loaded = new MLContext(2).Model.Load(zip, out _);
            Assert.Equal(embeddings, EmbeddingData.Column(loaded.Transform(data), "Embedding"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            File.Delete(zip);
        }
    }

    [Fact]
    public void A_missing_image_file_fails_naming_the_image_column()
    {
        var ml = new MLContext(1);
        var folder = Path.Combine(Path.GetTempPath(), $"triplet-png-{Guid.NewGuid():N}");
        try
        {
            var rows = WritePngs(folder);
            rows[3].Path = "missing.png";
            var data = ml.Transforms.LoadImages("Image", folder, "Path").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
            var e = Assert.Throws<InvalidDataException>(() => new TripletEmbeddingEstimator(ml, Options()).Fit(data));
            Assert.Contains("'Image'", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
