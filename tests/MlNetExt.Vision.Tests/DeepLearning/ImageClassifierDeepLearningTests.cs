using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Tests.Classification;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Vision.Tests.DeepLearning;

/// <summary>
/// The image classifier on the DeepLearning shape (docs/api-shape.md section 9): seed at construction, training lines in
/// the context's log, an <see cref="ImageClassifierModel"/> from Fit (inside a pipeline too) that comes back from
/// <c>mlContext.DeepLearning().Model.Load</c> with its history, class names and identical scores, and continue training.
/// A small CNN from scratch on 32 px Fashion-MNIST pixels keeps every fit to a few seconds.
/// </summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class ImageClassifierDeepLearningTests : IDisposable
{
    private static readonly int[] Classes = [1, 5, 8];
    private readonly SavedModelFolder _folder = new("mlnetext-vision-dl-");

    public void Dispose() => _folder.Dispose();

    private static ImageClassifierOptions Options(int epochs = 2, int? seed = null) => new()
    {
        FeatureColumnName = "Pixels",
        Backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = [8, 16] }),
        Strategy = TransferStrategy.FineTune,
        Epochs = epochs,
        ImageSize = 32,
        BatchSize = 16,
        LearningRate = 3e-3f,
        Seed = seed,
    };

    /// <summary>Pixels of <paramref name="perClass"/> images per class, skipping the first <paramref name="skip"/>, label as key.</summary>
    private static IDataView Data(MLContext ml, int perClass, int skip = 0, bool train = true)
    {
        var rows = FashionData.Rows(train, skip + perClass, Classes)
            .GroupBy(r => r.Label).SelectMany(g => g.Skip(skip))
            .Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();

    [Fact]
    public void The_contexts_seed_changes_the_model_and_the_same_seed_repeats_it()
    {
        float[] Fit(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var data = Data(ml, 10);
            return Scores(ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(Options()).Fit(data), data);
        }

        var one = Fit(1);
        Assert.Equal(one, Fit(1));
        Assert.NotEqual(one, Fit(2));
    }

    [Fact]
    public void Training_lines_reach_the_contexts_log()
    {
        var ml = new MLContext(3);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };

        ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(Options(epochs: 3)).Fit(Data(ml, 10));

        Assert.Equal(3, lines.Count(l => l.Contains("ImageClassifier") && l.Contains("Stage 'fine-tune' epoch")));
    }

    [Fact]
    public void Two_trainers_give_the_same_models_whichever_is_fitted_first()
    {
        (float[] A, float[] B) Run(bool aFirst)
        {
            var ml = new MLContext(5);
            var data = Data(ml, 10);
            var trainers = ml.DeepLearning().MulticlassClassification.Trainers;
            var a = trainers.ImageClassifier(Options());
            var b = trainers.ImageClassifier(Options());
            if (aFirst)
            {
                var ma = a.Fit(data);
                return (Scores(ma, data), Scores(b.Fit(data), data));
            }
            var mb = b.Fit(data);
            return (Scores(a.Fit(data), data), Scores(mb, data));
        }

        var first = Run(aFirst: true);
        var second = Run(aFirst: false);
        Assert.Equal(first.A, second.A);
        Assert.Equal(first.B, second.B);
        Assert.NotEqual(first.A, first.B);
    }

    [Fact]
    public void A_saved_pipeline_comes_back_from_DeepLearning_Load_with_history_class_names_and_identical_scores()
    {
        var ml = new MLContext(1);
        var rows = FashionData.Rows(train: true, 10, Classes)
            .Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(Options(seed: 4)));
        var fitted = pipeline.Fit(data);
        ImageClassifierModel model = fitted.LastTransformer;
        string path = Path.Combine(_folder.FullName, "classifier.zip");
        ml.DeepLearning().Model.Save(fitted, data.Schema, path);

        var fresh = new MLContext(9);
        var loaded = fresh.DeepLearning().Model.Load<ImageClassifierModel>(path, out _);
        var chain = fresh.DeepLearning().Model.Load(path, out _);

        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.ImageSize, loaded.ImageSize);
        Assert.Equal(model.History.Select(p => (p.Stage, p.Epoch, p.TrainLoss)), loaded.History.Select(p => (p.Stage, p.Epoch, p.TrainLoss)));
        Assert.Equal(["fine-tune"], loaded.History.Stages.Select(s => s.Stage));
        Assert.Equal(model.OnnxModelNames, loaded.OnnxModelNames);
        Assert.Equal(model.GetOnnxModel("pipeline"), loaded.GetOnnxModel("pipeline"));
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal(model.GetOnnxModel("float_nchw"), loaded.GetOnnxModel("float_nchw"));
        Assert.Equal("image_classifier", loaded.OnnxMetadata["mlnetext.model"]);
        var again = fresh.Data.LoadFromEnumerable(rows);
        Assert.Equal(Scores(fitted, data), Scores(chain, again));
        Assert.Equal(Scores(model, fitted.Take(1).Single().Transform(data)), Scores(loaded, fitted.Take(1).Single().Transform(again)));
    }

    [Fact]
    public void Loading_an_image_classifier_as_another_model_type_fails_naming_both_types()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 5);
        var model = ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(Options(epochs: 1, seed: 1)).Fit(data);
        string path = Path.Combine(_folder.FullName, "classifier.zip");
        ml.DeepLearning().Model.Save(model, data.Schema, path);

        var e = Assert.Throws<InvalidOperationException>(() => ml.DeepLearning().Model.Load<NotAnImageClassifierModel>(path, out _));

        Assert.Contains($"holds no NotAnImageClassifierModel ('{NotAnImageClassifierModel.Kind}')", e.Message);
        Assert.Contains("it holds ImageClassifierModel ('image_classifier')", e.Message);
    }

    private sealed class BinaryRow
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public bool Label { get; set; }
    }

    [Fact]
    public void A_saved_binary_classifier_comes_back_typed_and_continues_training()
    {
        var ml = new MLContext(1);
        var rows = FashionData.Rows(train: true, 10, Classes)
            .Select(r => new BinaryRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label == "Trouser" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainers = ml.DeepLearning().BinaryClassification.Trainers;
        var model = trainers.ImageClassifier(Options(seed: 2)).Fit(data);
        string path = Path.Combine(_folder.FullName, "binary.zip");
        ml.DeepLearning().Model.Save(model, data.Schema, path);

        var loaded = new MLContext(3).DeepLearning().Model.Load<ImageClassifierModel>(path, out _);
        var continued = trainers.ImageClassifier(Options(epochs: 1, seed: 2)).Fit(data, loaded);

        Assert.Equal(["false", "true"], loaded.ClassNames);
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal(model.Transform(data).GetColumn<float>("Probability"), loaded.Transform(data).GetColumn<float>("Probability"));
        Assert.Equal(model.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type.ToString())),
            continued.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type.ToString())));
        var multiclass = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(Options(epochs: 1)).Fit(Data(ml, 5), loaded));
        Assert.Contains("binary", multiclass.Message);
    }

    [Fact]
    public void Continuing_training_on_new_images_lowers_the_loss_there_and_keeps_the_schema()
    {
        var ml = new MLContext(1);
        var first = Data(ml, 15);
        var next = Data(ml, 30, skip: 15);
        var trainers = ml.DeepLearning().MulticlassClassification.Trainers;
        var initial = trainers.ImageClassifier(Options(epochs: 2, seed: 1)).Fit(first);

        var continuing = trainers.ImageClassifier(Options(epochs: 4, seed: 1));
        var continued = continuing.Fit(next, initial);
        var scratch = continuing.Fit(next);

        double before = ml.MulticlassClassification.Evaluate(initial.Transform(next)).LogLoss;
        double after = ml.MulticlassClassification.Evaluate(continued.Transform(next)).LogLoss;
        Assert.True(after < before - 0.05, $"log-loss on the new images: {before:F4} before, {after:F4} after continuing");
        // It started from the initial model's weights: its first epoch is already better than a fresh network's.
        Assert.True(continued.History[0].TrainLoss < scratch.History[0].TrainLoss - 0.05,
            $"first-epoch loss {continued.History[0].TrainLoss:F4} continued vs {scratch.History[0].TrainLoss:F4} from scratch");
        Assert.Equal(initial.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())),
            continued.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(initial.ClassNames, continued.ClassNames);
        Assert.Equal(initial.OnnxMetadata["mlnetext.architecture"], continued.OnnxMetadata["mlnetext.architecture"]);
    }

    [Fact]
    public void Continuing_training_with_other_classes_or_another_image_size_names_the_column_or_option()
    {
        var ml = new MLContext(1);
        var trainers = ml.DeepLearning().MulticlassClassification.Trainers;
        var initial = trainers.ImageClassifier(Options(epochs: 1, seed: 1)).Fit(Data(ml, 5));
        var rows = FashionData.Rows(train: true, 5, 1, 5)
            .Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        var twoClasses = ml.Data.LoadFromEnumerable(rows);
        twoClasses = ml.Transforms.Conversion.MapValueToKey("Label").Fit(twoClasses).Transform(twoClasses);

        var classes = Assert.Throws<ArgumentException>(() => trainers.ImageClassifier(Options(epochs: 1)).Fit(twoClasses, initial));
        var options = Options(epochs: 1);
        options.ImageSize = 48;
        var size = Assert.Throws<ArgumentException>(() => trainers.ImageClassifier(options).Fit(Data(ml, 5), initial));

        Assert.Contains("Label column 'Label' has 2 classes", classes.Message);
        Assert.Contains("trained on 3", classes.Message);
        Assert.Contains("ImageSize is 48", size.Message);
        Assert.Contains("32 x 32", size.Message);
    }
}

/// <summary>A model type that is not an image classifier, for the message of <c>Load&lt;WrongType&gt;</c> (public: the loader
/// looks for exported model types).</summary>
public sealed class NotAnImageClassifierModel : OnnxModelTransformer, IOnnxModelFactory<NotAnImageClassifierModel>
{
    /// <summary>Its <c>mlnetext.model</c> kind.</summary>
    public const string Kind = "vision_tests_not_an_image_classifier";

    private NotAnImageClassifierModel(TransformerChain<ITransformer> model, byte[] onnx) : base(model, onnx, TrainingHistory.Empty)
    {
    }

    static string IOnnxModelFactory<NotAnImageClassifierModel>.OnnxModelKind => Kind;

    static NotAnImageClassifierModel IOnnxModelFactory<NotAnImageClassifierModel>.Restore(MLContext context, RestoredOnnxModel parts) =>
        new(parts.Model, parts.OnnxModel);
}
