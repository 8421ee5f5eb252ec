using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.ImageAugmentation.Operations;
using EmbeddingFaces;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using TorchSharp;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The identities protocol of issue 19, MlNetExt's side (the PyTorch side is benchmarks/TripletReference): each of the
/// 3,000 training images of data/fashion-mnist-subset is one identity whose photos are random views (<see cref="PhotoViews.Policy"/>);
/// the held-out identities are the 1,000 test images x 4 fixed views. Trains TripletEmbedding (small_cnn 16-32-64,
/// 64-d, margin 0.2, P x K = 64 x 3, Adam 1e-3) and prints recall@1, MAP@R and pair ROC AUC of the trained and the
/// untrained network, the training time (wall and process CPU) and the per-epoch log.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- triplet [key=value ...]
///   epochs=15 mining=FaceNetSemiHard reduction=All policy=photo|restricted p=64 k=3 seed=1 channels=16,32,64 views-out=FILE
///   defaults=vector|image: every option at its default (raw-pixel vector input: an MLP; MLImage input: the shipped
///   MobileNetV2) except the columns and the protocol's views (Augmentation); epochs= overrides the default 30.
/// views-out writes the held-out views (uint8, image-major, 1000 x 4 x 28 x 28) for triplet_reference.py --views.
/// </summary>
public static class TripletIdentitiesBenchmark
{
    public const int ViewsPerTestIdentity = 4;

    /// <summary>What MlNetExt could express before Zoom and BrightnessShift: zoom-in only, multiplicative light only.</summary>
    public static AugmentationPolicy RestrictedPolicy { get; } = new(new AugmentationOperation[]
    {
        new Rotate(-15, 15, 0.8),
        new ScaleCrop(0.64, 1.0, 1.0, 1.0, 0.8),
        new Shift(0.1, 0.1, 0.8),
        new Shear(-10, 10, 0.5),
        new Brightness(0.7, 1.3, 0.8),
        new Contrast(0.7, 1.3, 0.8),
        new GaussianNoise(0, 0.06, 0.7),
    }, name: "Restricted");

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public static int Run(string[] args)
    {
        var o = args.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "true", StringComparer.OrdinalIgnoreCase);
        string Get(string key, string fallback) => o.TryGetValue(key, out var v) ? v : fallback;
        int? epochs = o.ContainsKey("epochs") ? int.Parse(o["epochs"], CultureInfo.InvariantCulture) : null;
        int p = int.Parse(Get("p", "64"), CultureInfo.InvariantCulture);
        int k = int.Parse(Get("k", "3"), CultureInfo.InvariantCulture);
        int seed = int.Parse(Get("seed", "1"), CultureInfo.InvariantCulture);
        var channels = Get("channels", "16,32,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        string? defaults = o.TryGetValue("defaults", out var d) ? d : null;
        var policy = Get("policy", "photo") switch
        {
            "photo" => PhotoViews.Policy,
            "restricted" => RestrictedPolicy,
            var other => throw new ArgumentException($"policy={other}: expected photo or restricted."),
        };

        var ml = new MLContext(seed);
        var train = FashionMnistSubset.LoadTrain();
        var test = FashionMnistSubset.LoadTest();
        var views = HeldOutViews(test.Images);
        if (o.TryGetValue("views-out", out var viewsPath))
        {
            File.WriteAllBytes(viewsPath, views.SelectMany(v => v).ToArray());
            Console.WriteLine($"wrote {views.Length} held-out views to {viewsPath}");
        }
        // One row per training identity: the augmentation makes its K examples K different views.
        var trainRows = Enumerable.Range(0, train.Count)
            .Select(i => new PixelRow { Pixels = train.Images[i].Select(b => (float)b).ToArray(), Label = $"train-{i}" }).ToList();
        var testRows = views.Select((v, i) => new PixelRow { Pixels = v.Select(b => (float)b).ToArray(), Label = $"test-{i / ViewsPerTestIdentity}" }).ToList();
        var trainData = ToDataView(ml, trainRows, defaults == "image");
        var testData = ToDataView(ml, testRows, defaults == "image");

        TripletEmbeddingOptions Options(int? e)
        {
            // defaults=vector|image: every option at its default except the columns and the protocol's views.
            var options = defaults is null ? new TripletEmbeddingOptions
            {
                Backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = channels }),
                BackboneLearningRateMultiplier = 1f, ImageSize = 28, EmbeddingDimension = 64, Margin = 0.2f,
                Mining = Enum.Parse<TripletMining>(Get("mining", "FaceNetSemiHard")), Reduction = Enum.Parse<TripletReduction>(Get("reduction", "All")),
                ClassesPerBatch = p, ExamplesPerClass = k, LearningRate = 1e-3f, Epochs = 15, Seed = seed,
            } : new TripletEmbeddingOptions();
            options.FeatureColumnName = defaults == "image" ? "Image" : "Pixels";
            options.LabelColumnName = "Label";
            options.OutputColumnName = "Embedding";
            options.Augmentation = policy;
            if (e is int epochCount)
                options.Epochs = epochCount;
            options.Progress = p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {p.Epoch}: loss {p.TrainLoss:F4}, active triplets {p.Metrics["ActiveTripletFraction"]:P1}, mean pairwise distance {p.Metrics["MeanPairwiseDistance"]:F3}, {p.Elapsed.TotalSeconds:F0} s"));
            return options;
        }

        var settings = Options(epochs);
        Console.WriteLine(defaults is null
            ? $"Triplet identities protocol: {train.Count} training identities, K={k}, P={p}, {settings.Epochs} epochs, {settings.Mining}/{settings.Reduction}, " +
              $"policy {policy.Name}, small_cnn {string.Join("-", channels)}, {Environment.ProcessorCount} cores, {torch.get_num_threads()} libtorch threads"
            : $"Triplet identities protocol, default options on {defaults} input ({settings.Epochs} epochs, policy {policy.Name}), " +
              $"{Environment.ProcessorCount} cores, {torch.get_num_threads()} libtorch threads");
        var untrained = Evaluate(ml, new TripletEmbeddingEstimator(ml, Options(0)).Fit(trainData).Transform(testData));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"untrained: recall@1 {untrained.RecallAt1:F3}  MAP@R {untrained.MeanAveragePrecisionAtR:F3}  AUC {untrained.AreaUnderRocCurve:F4}"));
        var wall = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var model = new TripletEmbeddingEstimator(ml, settings).Fit(trainData);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double seconds = wall.Elapsed.TotalSeconds;
        var trained = Evaluate(ml, model.Transform(testData));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained:   recall@1 {trained.RecallAt1:F3}  MAP@R {trained.MeanAveragePrecisionAtR:F3}  AUC {trained.AreaUnderRocCurve:F4}  ({seconds:F0} s training, {cpu:F0} CPU-s)"));
        return 0;
    }

    /// <summary>The held-out views, image-major: view v of test image i at i * 4 + v (PhotoViews.FixedViews).</summary>
    public static byte[][] HeldOutViews(IReadOnlyList<byte[]> images) =>
        PhotoViews.FixedViews(images, ViewsPerTestIdentity).SelectMany(v => v).ToArray();

    private static EmbeddingMetrics Evaluate(MLContext ml, IDataView scored) =>
        ml.EvaluateEmbeddings(scored, "Embedding", "Label", new EmbeddingEvaluationOptions { ComputeClusteringNmi = false, Seed = 1 });

    /// <summary>Raw gray pixel vectors, or (<paramref name="asImages"/>) MLImages made from them by ML.NET's ConvertToImage.</summary>
    private static IDataView ToDataView(MLContext ml, List<PixelRow> rows, bool asImages)
    {
        const int size = FashionMnistSubset.ImageSize;
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, (asImages ? 3 : 1) * size * size);
        if (!asImages)
            return ml.Data.LoadFromEnumerable(rows, schema);
        var rgb = rows.Select(r => new PixelRow { Pixels = [.. r.Pixels, .. r.Pixels, .. r.Pixels], Label = r.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(rgb, schema);
        return ml.Transforms.ConvertToImage(size, size, "Image", nameof(PixelRow.Pixels), ImagePixelExtractingEstimator.ColorBits.Rgb,
            ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavedColors: false).Fit(data).Transform(data);
    }
}
