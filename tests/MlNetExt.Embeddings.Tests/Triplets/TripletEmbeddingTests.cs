using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

public class TripletEmbeddingTests
{
    /// <summary>8 identities told apart by 3 informative features hidden among 17 loud noise features.</summary>
    private static (float[][] X, string[] Y) Identities(int perClass, int seed)
    {
        var centres = new Random(100);
        var centre = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)(centres.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<string>();
        for (int c = 0; c < 8; c++)
            for (int i = 0; i < perClass; i++)
            {
                var row = new float[20];
                for (int j = 0; j < 3; j++) row[j] = centre[c][j] + (float)(0.2 * (random.NextDouble() - 0.5));
                for (int j = 3; j < 20; j++) row[j] = (float)(3 * (random.NextDouble() - 0.5));
                x.Add(row);
                y.Add("id" + c);
            }
        return (x.ToArray(), y.ToArray());
    }

    [Fact]
    public void Triplet_embedding_learns_to_ignore_noise_and_saves_and_loads_identically()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(30, seed: 1);
        var (tx, ty) = Identities(15, seed: 2);
        var train = EmbeddingData.Labelled(ml, x, y);
        var test = EmbeddingData.Labelled(ml, tx, ty);
        var estimator = ml.Transforms.TripletEmbedding(new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 16, HiddenLayers = new[] { 64 },
            Epochs = 40, LearningRate = 3e-3f, ClassesPerBatch = 8, ExamplesPerClass = 6, Seed = 3,
        });
        var model = estimator.Fit(train);
        var scored = model.Transform(test);

        var raw = ml.EvaluateEmbeddings(test, "Embedding", "Label");
        var learned = ml.EvaluateEmbeddings(scored, "Learned", "Label");
        TestContext.Current.TestOutputHelper?.WriteLine($"raw {raw}\nlearned {learned}\ncollapse {model.LastCollapseReport}");
        Assert.True(learned.MeanAveragePrecisionAtR > raw.MeanAveragePrecisionAtR + 0.2, $"learned {learned.MeanAveragePrecisionAtR:F3} vs raw {raw.MeanAveragePrecisionAtR:F3}");
        Assert.False(model.LastCollapseReport!.IsCollapsed);

        var embeddings = EmbeddingData.Column(scored, "Learned");
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => v * v)), 4));

        var path = Path.Combine(Path.GetTempPath(), $"triplet-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var reloaded = ml.Model.Load(path, out _).Transform(test);
            Assert.Equal(embeddings, EmbeddingData.Column(reloaded, "Learned"));
        }
        finally
        {
            File.Delete(path);
        }

        // Identification: a gallery of training embeddings names held-out queries; a far-away query is "unknown".
        var gallery = EmbeddingGallery.FromData(model.Transform(train), "Learned", "Label");
        int correct = Enumerable.Range(0, ty.Length).Count(i => gallery.Identify(embeddings[i]).Identity == ty[i]);
        Assert.True(correct > 0.8 * ty.Length, $"{correct}/{ty.Length}");
        // "Unknown" exactly when the nearest gallery embedding is farther than the threshold.
        var query = embeddings[0].Select(v => -v).ToArray();
        var nearest = gallery.Identify(query);
        Assert.NotNull(nearest.Identity);
        Assert.Null(gallery.Identify(query, unknownThreshold: nearest.Distance * 0.99).Identity);
        Assert.Equal(nearest.Identity, gallery.Identify(query, unknownThreshold: nearest.Distance * 1.01).Identity);
    }

    [Fact]
    public void Validation_metrics_are_reported_and_early_stopping_keeps_the_best_epoch()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(30, seed: 1);
        var (vx, vy) = Identities(10, seed: 4);
        var train = EmbeddingData.Labelled(ml, x, y);
        var validation = EmbeddingData.Labelled(ml, vx, vy);
        var model = new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 16, HiddenLayers = new[] { 64 },
            Epochs = 200, LearningRate = 3e-3f, ClassesPerBatch = 8, ExamplesPerClass = 6, Seed = 3,
            ValidationSet = validation, EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        }).Fit(train);

        var history = model.TripletEpochs;
        Assert.All(history, h => Assert.InRange(h.ValidationMapAtR!.Value, 0, 1));
        Assert.All(history, h => Assert.InRange(h.ValidationRecallAt1!.Value, 0, 1));
        Assert.True(history.Count < 200, $"early stopping never fired ({history.Count} epochs)");
        var best = history.MaxBy(h => h.ValidationMapAtR!.Value)!;
        Assert.Equal(best.Epoch, history.Count - 3);
        Assert.True(best.ValidationMapAtR > history[0].ValidationMapAtR, "validation MAP@R did not improve over the first epoch");

        // The returned model holds the best epoch's weights: its validation MAP@R is the best one in the history.
        var scored = ml.EvaluateEmbeddings(model.Model.Transform(validation), "Learned", "Label");
        Assert.Equal(best.ValidationMapAtR!.Value, scored.MeanAveragePrecisionAtR, 3);
    }

    [Fact]
    public void Early_stopping_without_validation_data_and_validation_with_a_lonely_class_are_rejected()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(4, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", EarlyStopping = new EarlyStoppingOptions(),
        }));
        Assert.Contains("ValidationSet", e.Message);

        var (vx, vy) = Identities(2, seed: 5);
        vy[3] = "lonely";
        var lonely = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", Epochs = 1, ValidationSet = EmbeddingData.Labelled(ml, vx, vy),
        }).Fit(EmbeddingData.Labelled(ml, x, y)));
        Assert.Contains("ValidationSet", lonely.Message);
        Assert.Contains("'Label'", lonely.Message);
    }

    [Fact]
    public void Triplet_embedding_rejects_a_class_with_a_single_example()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(3, seed: 1);
        y[5] = "lonely";
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.TripletEmbedding("Learned", "Embedding", "Label", 8).Fit(EmbeddingData.Labelled(ml, x, y)));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("row 5", e.Message);
    }
}
