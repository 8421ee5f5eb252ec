using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Triplets;
using Xunit;
using static MlNetExt.Embeddings.Tests.Triplets.TripletTestData;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>The triplet trainer, the evaluator and the gallery read columns with Core's reader: every numeric type, and
/// messages that name the column and the user's row.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TripletInputTypeTests
{
    private sealed class DoubleRow
    {
        public double[] Embedding { get; set; } = [];

        public int Label { get; set; }
    }

    private static IDataView DoubleData(MLContext ml, float[][] x, int[] y)
    {
        var schema = SchemaDefinition.Create(typeof(DoubleRow));
        schema[nameof(DoubleRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Double, x[0].Length);
        return ml.Data.LoadFromEnumerable(x.Select((r, i) => new DoubleRow { Embedding = r.Select(v => (double)v).ToArray(), Label = y[i] }).ToList(), schema);
    }

    private static int[] Numbers(string[] labels) => labels.Select(l => int.Parse(l[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Double_features_and_integer_labels_train_the_same_model_as_single_features_and_text_labels()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(96, seed: 1);
        var singles = EmbeddingData.Labelled(ml, x, y);
        var doubles = DoubleData(ml, x, Numbers(y));

        var fromSingles = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 2)).Fit(singles);
        var fromDoubles = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 2)).Fit(doubles);

        Assert.Equal(fromSingles.History.Select(h => h.TrainLoss), fromDoubles.History.Select(h => h.TrainLoss));
        var scored = fromDoubles.Transform(doubles);
        Assert.Equal(EmbeddingData.Column(fromSingles.Transform(singles), "Learned"), EmbeddingData.Column(scored, "Learned"));
        // The evaluator and the gallery read the integer labels too.
        var metrics = ml.DeepLearning().Embeddings.Evaluate(scored, "Learned", "Label");
        Assert.Equal(8, metrics.ClassCount);
        Assert.Equal(96, EmbeddingGallery.FromData(scored, "Learned", "Label").Count);
        Assert.Equal("3", EmbeddingGallery.FromData(scored, "Learned", "Label").Identities[3]);
    }

    [Fact]
    public void Evaluating_a_double_embedding_column_gives_the_figures_of_its_single_copy()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(64, seed: 3);

        var fromSingles = ml.DeepLearning().Embeddings.Evaluate(EmbeddingData.Labelled(ml, x, y), "Embedding", "Label");
        var fromDoubles = ml.DeepLearning().Embeddings.Evaluate(DoubleData(ml, x, Numbers(y)), "Embedding", "Label");

        Assert.Equal(fromSingles.ToString(), fromDoubles.ToString());
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.25f)]
    public void A_non_finite_feature_names_the_column_and_the_users_row_also_after_a_validation_split(float validationFraction)
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(96, seed: 1);
        x[37][2] = float.NaN;
        var options = Options(epochs: 1);
        options.ValidationFraction = validationFraction;

        var e = Assert.Throws<InvalidDataException>(() => ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(DoubleData(ml, x, Numbers(y))));

        Assert.Contains("'Embedding'", e.Message);
        Assert.Contains("row 37", e.Message);
        Assert.DoesNotContain("ExpectedWidth", e.Message);
    }

    [Fact]
    public void A_text_feature_column_is_refused_naming_the_column_and_the_accepted_types()
    {
        var ml = new MLContext(1);
        var (x, y) = Identities(32, seed: 1);
        var data = ml.Transforms.CopyColumns("Features", "Label").Fit(EmbeddingData.Labelled(ml, x, y)).Transform(EmbeddingData.Labelled(ml, x, y));
        var options = Options(epochs: 1);
        options.FeatureColumnName = "Features";

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(data));

        Assert.Contains("Feature column 'Features'", e.Message);
        Assert.Contains("Double", e.Message);
    }
}
