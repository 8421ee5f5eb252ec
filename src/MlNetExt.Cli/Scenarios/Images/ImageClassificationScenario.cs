using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Reporting;
using MlNetExt.ImageAugmentation;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>
/// image-classification: <c>dl.MulticlassClassification.Trainers.ImageClassifier</c> on image files. The saved pipeline
/// is LoadImages(ImagePath) -> the classifier -> MapKeyToValue(PredictedLabel), so model.zip reads an image path and
/// gives the class name and a probability per class; held-out rows are evaluated with ML.NET's multiclass evaluator.
/// </summary>
internal sealed class ImageClassificationScenario : ImageScenario<ImageClassificationSettings>
{
    public const string CommandName = "image-classification";

    private const string ImageColumn = "Image";
    private const int WorstMistakes = 8;

    public override string Name => CommandName;

    public override string Title => "Transfer-learned image classification";

    private static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["micro_accuracy"] = "fraction of images classified correctly",
        ["macro_accuracy"] = "mean over classes of each class's accuracy (recall)",
        ["log_loss"] = "mean negative log probability of the true class (lower is better)",
        ["log_loss_reduction"] = "1 - log loss / log loss of the class prior (higher is better)",
        ["area_under_roc_curve"] = "two classes: the chance that an image of the second class scores higher for it than an image of the first "
            + "(ML.NET's binary evaluator on the second class's probability)",
    };

    private sealed class BinaryScore
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }

    protected override ImageTrainingData Load(ScenarioContext context, ImageClassificationSettings settings)
    {
        var dataset = LoadImages(context, settings, settings.Data, "--data", requireTwoPerClass: true);
        var validationSet = settings.ValidationData is string v ? LoadImages(context, settings, v, "--validation-data", requireTwoPerClass: false) : null;
        var testSet = settings.TestData is string t ? LoadImages(context, settings, t, "--test-data", requireTwoPerClass: false) : null;
        var classes = dataset.Classes;
        foreach (var other in new[] { validationSet, testSet }.OfType<ImageDataset>())
            CheckClasses(other.Classes, classes, other.Source);

        var classOf = dataset.Rows.Select(r => IndexOf(classes, r.Label)).ToArray();
        var split = DataSplit.Create(dataset.Rows.Count, testSet is null ? settings.TestFraction : 0,
            validationSet is null ? settings.ValidationFraction : 0, settings.Seed, classOf);
        if (split.Count(SplitPart.Train) == 0)
            throw new UserInputException("no image is left for training; lower --test-fraction / --validation-fraction.");
        var trainRows = split.Rows(SplitPart.Train).Select(i => dataset.Rows[i]).ToArray();
        var validationRows = validationSet?.Rows ?? split.Rows(SplitPart.Validation).Select(i => dataset.Rows[i]).ToArray();
        var testRows = testSet?.Rows ?? split.Rows(SplitPart.Test).Select(i => dataset.Rows[i]).ToArray();
        if (testRows.Count == 0)
            throw new UserInputException("no image is held out for the metrics; raise --test-fraction or give --test-data.");
        return new ImageTrainingData(dataset, split, trainRows, validationRows, testRows,
            testSet is null ? "test images of the split" : Path.GetFileName(testSet.Source), validationSet, testSet);
    }

    protected override (ITransformer Model, ITransformer Network) Fit(ScenarioContext context, ImageClassificationSettings settings, ImageTrainingData data, IDataView train)
    {
        var ml = context.ML;
        var toKey = ml.Transforms.Conversion.MapValueToKey(LabelColumn, keyData: ml.Data.LoadFromEnumerable(data.Dataset.Classes.Select(c => new ClassName { Label = c })))
            .Fit(train);
        var load = ml.Transforms.LoadImages(ImageColumn, null, ImagePathColumn).Fit(train);
        var options = context.Configure(new ImageClassifierOptions(), settings);
        options.LabelColumnName = LabelColumn;
        options.FeatureColumnName = ImageColumn;
        options.Backbone = ResolveBackbone(settings);
        options.Strategy = settings.Strategy;
        options.ImageSize = settings.ImageSize;
        options.Augmentation = Augmentation(settings.Augmentation);
        options.ClassBalancing = settings.ClassBalancing;
        options.ValidationSet = data.Validation.Count > 0 ? load.Transform(toKey.Transform(View(ml, data.Validation))) : null;
        var keyed = load.Transform(toKey.Transform(train));
        var classifier = ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(options).Fit(keyed);
        var toText = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(classifier.Transform(keyed));
        return (new TransformerChain<ITransformer>(load, classifier, toText), classifier);
    }

    protected override ImageEvaluation EvaluateHeldOut(MLContext ml, ITransformer model, ImageTrainingData data, IDataView train) =>
        new(Evaluate(ml, model, data.Test, data.TestSource), new Dictionary<string, string>());

    protected override (Evaluation Evaluation, string DataSummaryHtml) EvaluateAll(MLContext ml, ImageClassificationSettings settings, ITransformer model,
        ImageDataset dataset, string source) =>
        (Evaluate(ml, model, dataset.Rows, source), Summary(dataset, 0, 0, dataset.Rows.Count, null, null));

    protected override string OnnxDescription(bool standalone) => standalone
        ? "the standalone classifier (image in, class probabilities out) with mlnetext.* metadata (class names, image size, pixel scaling)"
        : "the network model.zip scores (input: the resized image's pixels as floats; output: class probabilities)";

    protected override string Summary(ImageTrainingData data) =>
        Summary(data.Dataset, data.Train.Count, data.Validation.Count, data.Test.Count, data.ValidationSet, data.TestSet);

    protected override ConsumeColumn[] Outputs(ImageClassificationSettings settings, ImageTrainingData data) => Outputs(data.Dataset.Classes.Count);

    public override IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings) => Outputs(null);

    private static ConsumeColumn[] Outputs(int? classes) =>
        [new ConsumeColumn("PredictedLabel", "string"), new ConsumeColumn("Score", "float[]", VectorSize: classes)];

    /// <summary>Scores image rows with the saved pipeline and evaluates them with ML.NET's multiclass evaluator.</summary>
    private Evaluation Evaluate(MLContext ml, ITransformer model, IReadOnlyList<ImageRow> rows, string source)
    {
        var scored = model.Transform(View(ml, rows));
        var classes = ClassNames(scored);
        CheckClasses(rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).ToArray(), classes, source);
        var keyData = ml.Data.LoadFromEnumerable(classes.Select(c => new ClassName { Label = c }));
        var keyed = ml.Transforms.Conversion.MapValueToKey(LabelColumn, keyData: keyData)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", keyData: keyData))
            .Fit(scored).Transform(scored);
        var metrics = ml.MulticlassClassification.Evaluate(keyed, LabelColumn, "Score", "PredictedLabel");

        string[] predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(p => p.ToString()).ToArray();
        float[][] scores = scored.GetColumn<VBuffer<float>>("Score").Select(s => s.DenseValues().ToArray()).ToArray();
        var confusion = new long[classes.Count, classes.Count];
        for (int i = 0; i < rows.Count; i++)
            confusion[IndexOf(classes, rows[i].Label), IndexOf(classes, predicted[i])]++;
        var perClass = classes.Select((c, k) =>
        {
            long support = Enumerable.Range(0, classes.Count).Sum(j => confusion[k, j]);
            long predictedAs = Enumerable.Range(0, classes.Count).Sum(j => confusion[j, k]);
            return new PerClass(c, support, confusion[k, k], support == 0 ? double.NaN : (double)confusion[k, k] / support,
                predictedAs == 0 ? double.NaN : (double)confusion[k, k] / predictedAs, metrics.PerClassLogLoss[k]);
        }).ToArray();
        var mistakes = Enumerable.Range(0, rows.Count).Where(i => predicted[i] != rows[i].Label)
            .OrderByDescending(i => scores[i].Max()).Take(WorstMistakes)
            .Select(i => (rows[i], predicted[i], scores[i].Max())).ToArray();

        var headline = new Dictionary<string, double>
        {
            ["micro_accuracy"] = metrics.MicroAccuracy,
            ["macro_accuracy"] = metrics.MacroAccuracy,
            ["log_loss"] = metrics.LogLoss,
            ["log_loss_reduction"] = metrics.LogLossReduction,
        };
        var sections = new List<(string Id, string Heading, string Html)>
        {
            ("confusion", "Confusion matrix", ConfusionHtml(classes, confusion)),
            ("per-class", "Per class", HtmlReport.Table(["class", "images", "correct", "recall", "precision", "log loss"],
                perClass.Select(p => (IReadOnlyList<string>)[p.Class, p.Images.ToString(CultureInfo.InvariantCulture), p.Correct.ToString(CultureInfo.InvariantCulture),
                    HtmlReport.Number(p.Recall), HtmlReport.Number(p.Precision), HtmlReport.Number(p.LogLoss)]), id: "per-class-table")),
        };
        if (classes.Count == 2 && BinaryRoc(ml, rows, classes, predicted, scores) is var (auc, rocHtml))
        {
            headline["area_under_roc_curve"] = auc;
            sections.Add(("roc", "ROC curve", rocHtml));
        }
        sections.Add(("mistakes", "Most confident mistakes", MistakesHtml(mistakes)));
        return new Evaluation
        {
            Metrics = new RunMetrics
            {
                Scenario = Name,
                EvaluatedOn = source,
                Rows = rows.Count,
                Metrics = headline,
                Details = new
                {
                    Classes = classes,
                    ConfusionMatrix = Enumerable.Range(0, classes.Count).Select(k => Enumerable.Range(0, classes.Count).Select(j => confusion[k, j]).ToArray()).ToArray(),
                    PerClass = perClass,
                },
            },
            Sections = sections,
            Descriptions = Descriptions,
            Headline = string.Create(CultureInfo.InvariantCulture,
                $"image classification of {classes.Count} classes: accuracy {metrics.MicroAccuracy:P1} (macro {metrics.MacroAccuracy:P1}), log loss {metrics.LogLoss:G4} on {rows.Count} images ({source})."),
        };
    }

    /// <summary>Two classes: the area under the ROC curve of the second class's probability (ML.NET's binary evaluator) and the
    /// curve as a figure; null when the rows hold only one of the classes.</summary>
    private static (double Auc, string Html)? BinaryRoc(MLContext ml, IReadOnlyList<ImageRow> rows, IReadOnlyList<string> classes, string[] predicted, float[][] scores)
    {
        bool[] positive = rows.Select(r => r.Label == classes[1]).ToArray();
        var curve = RocCurve.From(scores.Select(s => (double)s[1]).ToArray(), positive);
        if (curve is null)
            return null;
        var binary = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows.Count)
            .Select(i => new BinaryScore { Label = positive[i], Score = scores[i][1], PredictedLabel = predicted[i] == classes[1] }).ToArray());
        double auc = ml.BinaryClassification.EvaluateNonCalibrated(binary).AreaUnderRocCurve;
        var (x, y) = curve.PlotPoints();
        // The legend has room for a short name only; the classes go in the title.
        string html = HtmlReport.Figure(Charts.Curves([($"AUC {auc.ToString("F3", CultureInfo.InvariantCulture)}", x, y)], $"ROC curve: '{classes[1]}' against '{classes[0]}'",
                $"false positive rate (a '{classes[0]}' image called '{classes[1]}')", $"true positive rate ('{classes[1]}' images found)",
                unitDiagonal: true, unitSquare: true),
            $"ROC of the probability of '{classes[1]}' on the held-out images; the dashed diagonal is chance");
        return (auc, html);
    }

    private sealed record PerClass(string Class, long Images, long Correct, double Recall, double Precision, double LogLoss);

    private static IReadOnlyList<string> ClassNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static void CheckClasses(IReadOnlyList<string> found, IReadOnlyList<string> known, string source)
    {
        var unknown = found.Where(c => !known.Contains(c)).ToArray();
        if (unknown.Length > 0)
            throw new UserInputException($"'{source}' has class '{unknown[0]}', which the model does not know; its classes are: {string.Join(", ", known)}.");
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (int i = 0; i < classes.Count; i++)
            if (classes[i] == label) return i;
        return -1;
    }

    /// <summary>The backbone named by --backbone / --backbone-weights.</summary>
    public static ImageBackbone ResolveBackbone(ImageSettings settings)
    {
        string name = settings.Backbone;
        if (settings.BackboneWeights is string weights)
        {
            if (!BackboneRegistry.Contains(name))
                throw new UserInputException($"--backbone '{name}' with --backbone-weights must be an architecture: {string.Join(", ", BackboneRegistry.Names)}.");
            if (!File.Exists(weights))
                throw new UserInputException($"--backbone-weights '{weights}' does not exist.");
            return ImageBackbone.FromFile(name, weights);
        }
        if (PretrainedCatalog.Entries.Any(e => string.Equals(e.Id, name, StringComparison.OrdinalIgnoreCase)))
            return ImageBackbone.FromCatalog(name);
        const string scratch = "scratch:";
        if (name.StartsWith(scratch, StringComparison.Ordinal) && BackboneRegistry.Contains(name[scratch.Length..]))
            return ImageBackbone.FromScratch(name[scratch.Length..]);
        throw new UserInputException($"--backbone '{name}' is not a pretrained backbone ({string.Join(", ", PretrainedCatalog.Entries.Select(e => e.Id))}), "
            + $"nor scratch:<architecture> ({string.Join(", ", BackboneRegistry.Names)}), nor an architecture with --backbone-weights.");
    }

    /// <summary>The augmentation preset named by --augmentation.</summary>
    public static AugmentationPolicy Augmentation(string preset) => preset switch
    {
        "none" => AugmentationPolicy.None,
        "light" => AugmentationPolicy.Light,
        "default" => AugmentationPolicy.Default,
        "strong" => AugmentationPolicy.Strong,
        "randaugment" => AugmentationPolicy.RandAugment(),
        _ => throw new UserInputException($"--augmentation '{preset}' must be none, light, default, strong or randaugment."),
    };

    private static string ConfusionHtml(IReadOnlyList<string> classes, long[,] confusion) =>
        HtmlReport.Paragraph("Rows: true class; columns: predicted class.")
        + HtmlReport.Table(["true \\ predicted", .. classes], classes.Select((c, k) =>
            (IReadOnlyList<string>)[c, .. Enumerable.Range(0, classes.Count).Select(j => confusion[k, j].ToString(CultureInfo.InvariantCulture))]), id: "confusion-matrix");

    private static string MistakesHtml(IReadOnlyList<(ImageRow Row, string Predicted, float Confidence)> mistakes)
    {
        if (mistakes.Count == 0)
            return HtmlReport.Paragraph("No held-out image was misclassified.");
        var html = new StringBuilder("<div class=\"thumbnails\">");
        foreach (var (row, predicted, confidence) in mistakes)
        {
            string caption = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(row.Path)}: {row.Label} predicted as {predicted} ({confidence:P0})");
            html.Append("<figure>").Append(HtmlReport.InlineImage(File.ReadAllBytes(row.Path), MimeType(row.Path), caption, 96))
                .Append("<figcaption>").Append(HtmlReport.Encode(caption)).Append("</figcaption></figure>");
        }
        return html.Append("</div>").ToString();
    }

    private static string MimeType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".bmp" => "image/bmp",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        _ => "image/png",
    };

    private static string Summary(ImageDataset dataset, int train, int validation, int test, ImageDataset? validationSet, ImageDataset? testSet)
    {
        var html = new StringBuilder(HtmlReport.Table(["", ""],
        [
            ["data", dataset.Source],
            ["images", dataset.Rows.Count.ToString("N0", CultureInfo.InvariantCulture)],
            ["classes", dataset.Classes.Count.ToString(CultureInfo.InvariantCulture)],
            ["train images", train.ToString(CultureInfo.InvariantCulture)],
            ["validation images", validation == 0 ? "none" : $"{validation} ({validationSet?.Source ?? "split"})"],
            ["test images (metrics)", $"{test} ({testSet?.Source ?? "split"})"],
            ["unreadable images left out", dataset.Skipped.Count.ToString(CultureInfo.InvariantCulture)],
        ]));
        html.Append(HtmlReport.Table(["class", "images"],
            dataset.Classes.Select(c => (IReadOnlyList<string>)[c, dataset.CountOf(c).ToString(CultureInfo.InvariantCulture)]), id: "classes"));
        return html.ToString();
    }
}
