using System.Diagnostics;
using Microsoft.ML;
using MlNetExt.Embeddings.Evaluation;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Evaluation;

public class EmbeddingEvaluatorTests
{
    // One-dimensional points: class a at 0, 1.2, 5.1; class b at 2.5, 6, 7.8 (distances worked out by hand).
    private static readonly float[][] Points = { new[] { 0f }, new[] { 1.2f }, new[] { 5.1f }, new[] { 2.5f }, new[] { 6f }, new[] { 7.8f } };
    private static readonly string[] Labels = { "a", "a", "a", "b", "b", "b" };

    [Fact]
    public void Retrieval_metrics_match_hand_computation_on_six_points()
    {
        var ml = new MLContext(1);
        var m = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, Points, Labels), "Embedding", "Label");

        // Nearest other point has the same class for 0, 1.2 and 7.8 only.
        Assert.Equal(0.5, m.RecallAt1, 10);
        Assert.Equal(1.0, m.RecallAt5, 10);
        // AP@R (R = 2) per query: 0.5, 0.5, 0, 0, 0.25, 0.5.
        Assert.Equal(1.75 / 6, m.MeanAveragePrecisionAtR, 10);
    }

    [Fact]
    public void Verification_auc_and_equal_error_rate_match_hand_computation()
    {
        var ml = new MLContext(1);
        var m = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, Points, Labels), "Embedding", "Label");

        // 6 positive pairs, 9 negative pairs; 29 of the 54 (positive, negative) combinations are ordered correctly.
        Assert.Equal(6, m.PositivePairCount);
        Assert.Equal(9, m.NegativePairCount);
        Assert.Equal(29.0 / 54, m.AreaUnderRocCurve, 6);
        // At threshold 3.5: false accepts 5/9, false rejects 3/6.
        Assert.Equal(3.5, m.EqualErrorRateThreshold, 4);
        Assert.Equal((5.0 / 9 + 0.5) / 2, m.EqualErrorRate, 6);
    }

    [Fact]
    public void Normalised_mutual_information_matches_hand_computation()
    {
        Assert.Equal(0.0, KMeansClustering.NormalisedMutualInformation(new[] { 0, 0, 1, 1 }, 2, new[] { 0, 1, 0, 1 }, 2), 10);
        Assert.Equal(1.0, KMeansClustering.NormalisedMutualInformation(new[] { 0, 0, 1, 1 }, 2, new[] { 1, 1, 0, 0 }, 2), 10);
        // I = 0.215762, H(Y) = ln 2, H(C) = 0.562335.
        Assert.Equal(0.343710, KMeansClustering.NormalisedMutualInformation(new[] { 0, 0, 1, 1 }, 2, new[] { 0, 0, 0, 1 }, 2), 5);
    }

    [Fact]
    public void Well_separated_clusters_score_perfectly()
    {
        var random = new Random(3);
        var points = new List<float[]>();
        var labels = new List<string>();
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 15; i++)
            {
                points.Add(new[] { c * 20f + (float)random.NextDouble(), (c % 2) * 20f + (float)random.NextDouble(), (float)random.NextDouble() });
                labels.Add("c" + c);
            }
        var ml = new MLContext(1);
        var m = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, points.ToArray(), labels.ToArray()), "Embedding", "Label");

        Assert.Equal(1.0, m.RecallAt1, 10);
        Assert.Equal(1.0, m.MeanAveragePrecisionAtR, 10);
        Assert.Equal(1.0, m.AreaUnderRocCurve, 10);
        Assert.Equal(0.0, m.EqualErrorRate, 10);
        Assert.Equal(1.0, m.ClusteringNmi, 6);
    }

    [Fact]
    public void Identity_scale_clustering_finds_many_small_well_separated_identities()
    {
        // 1,500 identities of 3 rows: k-means with k = 1,500 assigns rows in blocks (k x rows would not fit at real scale)
        // and the NMI counts its sparse joint table.
        const int identities = 1500, views = 3, width = 16;
        var random = new Random(5);
        var points = new List<float[]>();
        var labels = new List<string>();
        for (int c = 0; c < identities; c++)
        {
            var centre = Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * 200)).ToArray();
            for (int v = 0; v < views; v++)
            {
                points.Add(centre.Select(x => x + (float)(random.NextDouble() * 0.01)).ToArray());
                labels.Add("id" + c);
            }
        }
        var ml = new MLContext(1);
        var m = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, points.ToArray(), labels.ToArray()), "Embedding", "Label");

        Assert.Equal(identities, m.ClassCount);
        Assert.Equal(1.0, m.RecallAt1, 10);
        Assert.InRange(m.ClusteringNmi, 0.97, 1.0);
    }

    [Fact]
    public void Cosine_distance_equals_euclidean_distance_on_normalised_embeddings()
    {
        var random = new Random(5);
        var raw = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 60).Select(i => raw[i][0] + raw[i][1] > 0 ? "p" : "q").ToArray();
        var normalised = raw.Select(r => { var n = MathF.Sqrt(r.Sum(v => v * v)); return r.Select(v => v / n).ToArray(); }).ToArray();
        var ml = new MLContext(1);

        var cosine = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, raw, labels), "Embedding", "Label",
            new EmbeddingEvaluationOptions { Distance = EmbeddingDistance.Cosine });
        var euclidean = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, normalised, labels), "Embedding", "Label");
        var rawEuclidean = ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, raw, labels), "Embedding", "Label");

        Assert.Equal(euclidean.RecallAt1, cosine.RecallAt1, 10);
        Assert.Equal(euclidean.MeanAveragePrecisionAtR, cosine.MeanAveragePrecisionAtR, 10);
        Assert.Equal(euclidean.AreaUnderRocCurve, cosine.AreaUnderRocCurve, 6);
        Assert.NotEqual(rawEuclidean.MeanAveragePrecisionAtR, cosine.MeanAveragePrecisionAtR);
    }

    [Fact]
    public void One_class_only_is_rejected_naming_the_label_column()
    {
        var ml = new MLContext(1);
        var data = EmbeddingData.Labelled(ml, Points, Labels.Select(_ => "a").ToArray());
        var e = Assert.Throws<ArgumentException>(() => ml.EvaluateEmbeddings(data, "Embedding", "Label"));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("at least 2", e.Message);
    }

    [Fact]
    public void Class_with_a_single_example_is_rejected_naming_the_row()
    {
        var ml = new MLContext(1);
        var data = EmbeddingData.Labelled(ml, Points, new[] { "a", "a", "a", "b", "b", "c" });
        var e = Assert.Throws<ArgumentException>(() => ml.EvaluateEmbeddings(data, "Embedding", "Label"));
        Assert.Contains("row 5", e.Message);
        Assert.Contains("single example", e.Message);
    }

    [Fact]
    public void NaN_embedding_is_rejected_naming_column_and_row()
    {
        var ml = new MLContext(1);
        var points = Points.Select(p => (float[])p.Clone()).ToArray();
        points[4][0] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, points, Labels), "Embedding", "Label"));
        Assert.Contains("'Embedding'", e.Message);
        Assert.Contains("row 4", e.Message);
    }

    [Fact]
    public void Missing_embedding_column_is_named()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.EvaluateEmbeddings(EmbeddingData.Labelled(ml, Points, Labels), "Features", "Label"));
        Assert.Contains("'Features'", e.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Twenty_thousand_random_128_dimensional_embeddings_evaluate_at_chance_level()
    {
        const int rows = 20_000, width = 128, classes = 10;
        var random = new Random(11);
        var points = new float[rows][];
        var labels = new string[rows];
        for (int i = 0; i < rows; i++)
        {
            points[i] = new float[width];
            for (int j = 0; j < width; j++) points[i][j] = (float)(random.NextDouble() * 2 - 1);
            labels[i] = "c" + (i % classes);
        }
        var ml = new MLContext(1);
        var data = EmbeddingData.Labelled(ml, points, labels);

        var watch = Stopwatch.StartNew();
        var m = ml.EvaluateEmbeddings(data, "Embedding", "Label");
        watch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"20000 x 128, 10 classes: {watch.Elapsed.TotalSeconds:F1} s; {m}");

        Assert.Equal(rows, m.RowCount);
        Assert.InRange(m.RecallAt1, 0.08, 0.12);
        Assert.InRange(m.MeanAveragePrecisionAtR, 0.0, 0.05);
        Assert.InRange(m.AreaUnderRocCurve, 0.47, 0.53);
        Assert.InRange(m.ClusteringNmi, 0.0, 0.01);
    }
}
