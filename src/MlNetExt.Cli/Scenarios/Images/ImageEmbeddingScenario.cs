using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Reporting;
using MlNetExt.Cli.Runs;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>
/// image-embedding: <c>dl.Transforms.TripletEmbedding</c> on a folder with one sub-folder per identity. The saved pipeline is
/// LoadImages(ImagePath) -> the embedding (Embedding, L2-normalised). Held-out images of the training identities are
/// evaluated with <c>dl.Embeddings.Evaluate</c> and identified against the gallery of training images; gallery.json keeps
/// the gallery and the verification threshold (distance at the equal error rate) for <c>predict</c>.
/// </summary>
internal sealed class ImageEmbeddingScenario : ImageScenario<ImageEmbeddingSettings>
{
    public const string CommandName = "image-embedding";

    // The trainer's default input column (Features) holds the loaded image; Label is the identity as a key.
    private const string ImageColumn = "Features", EmbeddingColumn = "Embedding";

    /// <summary>The most held-out images whose pairs the report's ROC uses (about 1.1 million pairs).</summary>
    private const int MaxRocImages = 1500;

    public override string Name => CommandName;

    public override string Title => "Triplet-loss image embedding for identification and verification";

    private static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["recall_at_1"] = "leave-one-out: the nearest other held-out image has the same identity",
        ["recall_at_5"] = "leave-one-out: one of the 5 nearest has the same identity",
        ["mean_average_precision_at_r"] = "MAP@R over the held-out images",
        ["equal_error_rate"] = "verification: false accepts = false rejects at this rate (lower is better)",
        ["verification_threshold"] = "the Euclidean distance at the equal error rate (gallery.json)",
        ["clustering_nmi"] = "NMI of k-means clusters (k = identities) against the identities",
        ["gallery_identification_accuracy"] = "the nearest training image (the gallery) has the same identity",
    };

    private sealed class Identity
    {
        public string Label { get; set; } = "";
    }

    protected override ImageTrainingData Load(ScenarioContext context, ImageEmbeddingSettings settings)
    {
        var dataset = LoadImages(context, settings, settings.Data, "--data", requireTwoPerClass: true);
        var identities = dataset.Classes;
        var identityOf = dataset.Rows.Select(r => identities.ToList().IndexOf(r.Label)).ToArray();
        var split = DataSplit.Create(dataset.Rows.Count, settings.TestFraction, settings.ValidationFraction, settings.Seed, identityOf);
        var trainRows = split.Rows(SplitPart.Train).Select(i => dataset.Rows[i]).ToArray();
        var validationRows = split.Rows(SplitPart.Validation).Select(i => dataset.Rows[i]).ToArray();
        // Validation retrieval needs identities with 2 or more images; with fewer than 2 such identities there is none.
        var pairedValidation = validationRows.GroupBy(r => r.Label).Where(g => g.Count() >= 2).ToArray();
        if (validationRows.Length > 0 && pairedValidation.Length < 2)
            context.Console.Warning($"no validation: the {validationRows.Length} validation images hold fewer than 2 identities with 2 images; raise --validation-fraction to validate.");
        validationRows = pairedValidation.Length < 2 ? [] : pairedValidation.SelectMany(g => g).ToArray();
        var testRows = split.Rows(SplitPart.Test).Select(i => dataset.Rows[i]).ToArray();
        return new ImageTrainingData(dataset, split, trainRows, validationRows, testRows, "test images of the split");
    }

    protected override (ITransformer Model, ITransformer Network) Fit(ScenarioContext context, ImageEmbeddingSettings settings, ImageTrainingData data, IDataView train)
    {
        var ml = context.ML;
        var toKey = ml.Transforms.Conversion.MapValueToKey(LabelColumn, keyData: ml.Data.LoadFromEnumerable(data.Dataset.Classes.Select(c => new Identity { Label = c })))
            .Fit(train);
        var load = ml.Transforms.LoadImages(ImageColumn, null, ImagePathColumn).Fit(train);
        var options = new TripletEmbeddingOptions
        {
            EmbeddingDimension = settings.EmbeddingDimension,
            Backbone = ImageClassificationScenario.ResolveBackbone(settings),
            ImageSize = settings.ImageSize,
            Augmentation = ImageClassificationScenario.Augmentation(settings.Augmentation),
        };
        options.Epochs = settings.Epochs;
        options.LearningRate = settings.LearningRate;
        options.Seed = settings.Seed;
        options.ValidationSet = data.Validation.Count > 0 ? load.Transform(toKey.Transform(View(ml, data.Validation))) : null;
        // Where the triplet options share the trainers' common options, wire progress, Ctrl+C and the batch size too.
        if ((object)options is NeuralTrainerOptions common)
        {
            var validation = common.ValidationSet;
            context.Configure(common, settings);
            common.ValidationSet = validation;
        }
        var embedding = ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(load.Transform(toKey.Transform(train)));
        return (new TransformerChain<ITransformer>(load, embedding), embedding);
    }

    protected override ImageEvaluation EvaluateHeldOut(MLContext ml, ITransformer model, ImageTrainingData data, IDataView train)
    {
        var trainEmbeddings = Embeddings(model.Transform(train));
        var evaluation = Evaluate(ml, model, data.Test, data.TestSource, data.Train, trainEmbeddings, out double threshold);
        var gallery = new EmbeddingGalleryFile(threshold, data.Train.Select(r => r.Label).ToArray(), trainEmbeddings);
        return new ImageEvaluation(evaluation, new Dictionary<string, string> { [EmbeddingGalleryFile.FileName] = CliJson.Serialize(gallery, indented: false) + "\n" });
    }

    protected override bool RequireTwoPerClassToEvaluate => true;

    protected override (Evaluation Evaluation, string DataSummaryHtml) EvaluateAll(MLContext ml, ImageEmbeddingSettings settings, ITransformer model,
        ImageDataset dataset, string source) =>
        (Evaluate(ml, model, dataset.Rows, source, null, null, out _),
            HtmlReport.Table(["", ""], [["data", dataset.Source], ["images / identities", $"{dataset.Rows.Count} / {dataset.Classes.Count}"]]));

    protected override string OnnxDescription(bool standalone) => standalone
        ? "the standalone image encoder (image in, L2-normalised embedding out) with mlnetext.* metadata"
        : "the encoder model.zip scores (input: the resized image's pixels as floats; output: the L2-normalised embedding)";

    protected override string Summary(ImageTrainingData data) => HtmlReport.Table(["", ""],
    [
        ["data", data.Dataset.Source],
        ["images / identities", $"{data.Dataset.Rows.Count} / {data.Dataset.Classes.Count}"],
        ["train / validation / test images", $"{data.Train.Count} / {data.Validation.Count} / {data.Test.Count}"],
        ["gallery (gallery.json)", $"the {data.Train.Count} training images"],
        ["unreadable images left out", data.Dataset.Skipped.Count.ToString(CultureInfo.InvariantCulture)],
    ]);

    protected override ConsumeColumn[] Outputs(ImageEmbeddingSettings settings, ImageTrainingData data) =>
        [new ConsumeColumn(EmbeddingColumn, "float[]", VectorSize: settings.EmbeddingDimension)];

    public override IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings) => [new ConsumeColumn(EmbeddingColumn, "float[]")];

    public override IReadOnlyList<ConsumeColumn> PredictionExtras => [new ConsumeColumn("Identity", "string"), new ConsumeColumn("GalleryDistance", "double")];

    public override void Annotate(string runFolder, IReadOnlyList<Dictionary<string, object?>> predictions)
    {
        if (!File.Exists(Path.Combine(runFolder, EmbeddingGalleryFile.FileName)))
            throw new UserInputException($"'{runFolder}' has no {EmbeddingGalleryFile.FileName}; predict needs the run folder of an image-embedding run.");
        var gallery = EmbeddingGalleryFile.Read(runFolder);
        foreach (var prediction in predictions)
        {
            var (identity, distance) = gallery.Identify((float[])prediction[EmbeddingColumn]!);
            prediction["Identity"] = identity;
            prediction["GalleryDistance"] = distance;
        }
    }

    private static float[][] Embeddings(IDataView scored) =>
        scored.GetColumn<VBuffer<float>>(EmbeddingColumn).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>
    /// The verification ROC over every pair of held-out images (a seeded sample of <see cref="MaxRocImages"/> images when there
    /// are more): a pair is accepted as "same identity" when its Euclidean distance is at most the threshold. The marked point
    /// is the operating point at the evaluator's equal-error threshold (the one gallery.json keeps).
    /// </summary>
    private static string VerificationRoc(float[][] embeddings, string[] identities, double equalErrorRate, double threshold)
    {
        int[] images = Enumerable.Range(0, embeddings.Length).ToArray();
        var random = new Random(0);
        if (embeddings.Length > MaxRocImages)
            images = Enumerable.Range(0, embeddings.Length).OrderBy(_ => random.Next()).Take(MaxRocImages).Order().ToArray();
        var distances = new List<double>();
        var same = new List<bool>();
        for (int a = 0; a < images.Length; a++)
            for (int b = a + 1; b < images.Length; b++)
            {
                float[] x = embeddings[images[a]], y = embeddings[images[b]];
                double sum = 0;
                for (int k = 0; k < x.Length; k++) sum += (x[k] - y[k]) * (double)(x[k] - y[k]);
                distances.Add(Math.Sqrt(sum));
                same.Add(identities[images[a]] == identities[images[b]]);
            }
        var curve = RocCurve.From(distances.Select(d => -d).ToArray(), same);
        if (curve is null)
            return HtmlReport.Paragraph("No ROC: the held-out images form no pair of different identities.");
        int positives = same.Count(s => s), negatives = same.Count - positives;
        double falseAccept = Enumerable.Range(0, same.Count).Count(i => !same[i] && distances[i] <= threshold) / (double)negatives;
        double trueAccept = Enumerable.Range(0, same.Count).Count(i => same[i] && distances[i] <= threshold) / (double)positives;
        var (fpr, tpr) = curve.PlotPoints();
        string auc = curve.Area.ToString("F4", CultureInfo.InvariantCulture);
        string eer = string.Create(CultureInfo.InvariantCulture, $"EER {equalErrorRate:P1} (distance {threshold:G4})");
        return HtmlReport.Figure(Charts.Curves([($"pairs, AUC {auc}", fpr, tpr)], "Verification ROC: same identity against different",
                "false accept rate (different identities accepted)", "true accept rate (same identity accepted)",
                unitDiagonal: true, unitSquare: true, marker: (falseAccept, trueAccept, eer)),
            string.Create(CultureInfo.InvariantCulture,
                $"ROC of the pair distance over {positives:N0} same-identity and {negatives:N0} different-identity pairs of {images.Length} held-out images; "
                + $"the point is the equal-error threshold (false accept {falseAccept:P1}, false reject {1 - trueAccept:P1} on these pairs)"));
    }

    /// <summary>Embeds the rows and evaluates them with <c>dl.Embeddings.Evaluate</c> (identities with one image are left
    /// out: verification needs pairs); with a gallery, also identifies each row by its nearest gallery image.</summary>
    private Evaluation Evaluate(MLContext ml, ITransformer model, IReadOnlyList<ImageRow> rows, string source,
        IReadOnlyList<ImageRow>? galleryRows, float[][]? galleryEmbeddings, out double threshold)
    {
        var paired = rows.GroupBy(r => r.Label).Where(g => g.Count() >= 2).SelectMany(g => g).ToArray();
        if (paired.Length == 0)
            throw new UserInputException($"'{source}' has no identity with 2 or more held-out images; raise --test-fraction or add images per identity.");
        var scored = model.Transform(View(ml, paired));
        var metrics = ml.DeepLearning().Embeddings.Evaluate(scored, EmbeddingColumn, LabelColumn, new EmbeddingEvaluationOptions { Seed = 0 });
        threshold = metrics.EqualErrorRateThreshold;
        var headline = new Dictionary<string, double>
        {
            ["recall_at_1"] = metrics.RecallAt1,
            ["recall_at_5"] = metrics.RecallAt5,
            ["mean_average_precision_at_r"] = metrics.MeanAveragePrecisionAtR,
            ["equal_error_rate"] = metrics.EqualErrorRate,
            ["verification_threshold"] = metrics.EqualErrorRateThreshold,
            ["clustering_nmi"] = metrics.ClusteringNmi,
        };
        var embeddings = Embeddings(scored);
        if (galleryRows is not null && galleryEmbeddings is not null)
        {
            var gallery = new EmbeddingGalleryFile(double.PositiveInfinity, galleryRows.Select(r => r.Label).ToArray(), galleryEmbeddings);
            headline["gallery_identification_accuracy"] = paired.Select((r, i) => gallery.Identify(embeddings[i]).Identity == r.Label ? 1.0 : 0.0).Average();
        }
        var (x, y) = Projection.FirstTwoComponents(embeddings);
        var plot = new SvgPlot("Held-out embeddings, first two principal components", "component 1", "component 2");
        foreach (var identity in paired.Select(r => r.Label).Distinct().Take(20))
        {
            int[] members = Enumerable.Range(0, paired.Length).Where(i => paired[i].Label == identity).ToArray();
            plot.Points(identity, members.Select(i => x[i]).ToArray(), members.Select(i => y[i]).ToArray());
        }
        return new Evaluation
        {
            Metrics = new RunMetrics { Scenario = Name, EvaluatedOn = source, Rows = paired.Length, Metrics = headline, Details = new { Identities = metrics.ClassCount, metrics.PositivePairCount, metrics.NegativePairCount } },
            Sections =
            [
                ("roc", "Verification ROC", VerificationRoc(embeddings, paired.Select(r => r.Label).ToArray(), metrics.EqualErrorRate, metrics.EqualErrorRateThreshold)),
                ("projection", "Embedding projection", HtmlReport.Figure(plot.Render(), "Each held-out image's embedding projected on its first two principal components, coloured by identity (up to 20 identities)")),
            ],
            Descriptions = Descriptions,
            Headline = string.Create(CultureInfo.InvariantCulture,
                $"image embedding of {metrics.ClassCount} identities: recall@1 {metrics.RecallAt1:P1}, EER {metrics.EqualErrorRate:P1} at distance {metrics.EqualErrorRateThreshold:G4} on {paired.Length} images ({source})."),
        };
    }
}
