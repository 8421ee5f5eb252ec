using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using TorchSharp;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The identities protocol of issue 19, MlNetExt's side (the PyTorch side is benchmarks/TripletReference): each of the
/// 3,000 training images of data/fashion-mnist-subset is one identity whose photos are random views (<see cref="PhotoPolicy"/>);
/// the held-out identities are the 1,000 test images x 4 fixed views. Trains TripletEmbedding (small_cnn 16-32-64,
/// 64-d, margin 0.2, P x K = 64 x 3, Adam 1e-3) and prints recall@1, MAP@R and pair ROC AUC of the trained and the
/// untrained network, the training time (wall and process CPU) and the per-epoch log.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- triplet [key=value ...]
///   epochs=15 mining=SemiHard reduction=NonZero policy=photo|restricted|none p=64 k=3 seed=1 views-out=FILE
/// views-out writes the held-out views (uint8, image-major, 1000 x 4 x 28 x 28) for triplet_reference.py --views.
/// </summary>
public static class TripletIdentitiesBenchmark
{
    public const int ViewsPerTestIdentity = 4;
    public const int FixedViewSeed = 20261123;

    /// <summary>The photo policy: pose, distance (zoom in and out), framing, shear, light (multiplicative and additive),
    /// contrast, sensor noise. triplet_reference.py's PHOTO is the same list.</summary>
    public static AugmentationPolicy PhotoPolicy { get; } = new(new AugmentationOperation[]
    {
        new Rotate(-15, 15, 0.8),
        new Zoom(0.8, 1.25, 0.8),
        new Shift(0.1, 0.1, 0.8),
        new Shear(-10, 10, 0.5),
        new Brightness(0.7, 1.3, 0.8),
        new BrightnessShift(-0.1, 0.1, 0.5),
        new Contrast(0.7, 1.3, 0.8),
        new GaussianNoise(0, 0.06, 0.7),
    }, name: "Photo");

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
        int epochs = int.Parse(Get("epochs", "15"), CultureInfo.InvariantCulture);
        int p = int.Parse(Get("p", "64"), CultureInfo.InvariantCulture);
        int k = int.Parse(Get("k", "3"), CultureInfo.InvariantCulture);
        int seed = int.Parse(Get("seed", "1"), CultureInfo.InvariantCulture);
        var channels = Get("channels", "16,32,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var policy = Get("policy", "photo") switch
        {
            "photo" => PhotoPolicy,
            "restricted" => RestrictedPolicy,
            "none" => AugmentationPolicy.None,
            var other => throw new ArgumentException($"policy={other}: expected photo, restricted or none."),
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
        var trainRows = new List<PixelRow>();
        for (int i = 0; i < train.Count; i++)
            for (int c = 0; c < k; c++)
                trainRows.Add(new PixelRow { Pixels = train.Images[i].Select(b => (float)b).ToArray(), Label = $"train-{i}" });
        var testRows = views.Select((v, i) => new PixelRow { Pixels = v.Select(b => (float)b).ToArray(), Label = $"test-{i / ViewsPerTestIdentity}" }).ToList();
        var trainData = ToDataView(ml, trainRows);
        var testData = ToDataView(ml, testRows);

        TripletEmbeddingOptions Options(int e) => new()
        {
            FeatureColumnName = "Pixels", OutputColumnName = "Embedding", LabelColumnName = "Label",
            Backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = channels }),
            BackboneLearningRateMultiplier = 1f, ImageSize = 28, EmbeddingDimension = 64, Margin = 0.2f,
            Mining = Enum.Parse<TripletMining>(Get("mining", "SemiHard")), Reduction = Enum.Parse<TripletReduction>(Get("reduction", "NonZero")),
            ClassesPerBatch = p, ExamplesPerClass = k, LearningRate = 1e-3f, Augmentation = policy, Epochs = e, Seed = seed,
            Progress = p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {p.Epoch}: loss {p.TrainLoss:F4}, active triplets {p.Metrics["ActiveTripletFraction"]:P1}, mean pairwise distance {p.Metrics["MeanPairwiseDistance"]:F3}, {p.Elapsed.TotalSeconds:F0} s")),
        };

        Console.WriteLine($"Triplet identities protocol: {train.Count} training identities x K={k}, P={p}, {epochs} epochs, policy {policy.Name}, " +
            $"small_cnn {string.Join("-", channels)}, {Environment.ProcessorCount} cores, {torch.get_num_threads()} libtorch threads");
        var untrained = Evaluate(ml, new TripletEmbeddingEstimator(ml, Options(0)).Fit(trainData).Transform(testData));
        var wall = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var model = new TripletEmbeddingEstimator(ml, Options(epochs)).Fit(trainData);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double seconds = wall.Elapsed.TotalSeconds;
        var trained = Evaluate(ml, model.Transform(testData));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"untrained: recall@1 {untrained.RecallAt1:F3}  MAP@R {untrained.MeanAveragePrecisionAtR:F3}  AUC {untrained.VerificationAuc:F4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained:   recall@1 {trained.RecallAt1:F3}  MAP@R {trained.MeanAveragePrecisionAtR:F3}  AUC {trained.VerificationAuc:F4}  ({seconds:F0} s training, {cpu:F0} CPU-s)"));
        return 0;
    }

    /// <summary>View v of test image i drawn by the batched tensor augmenter at (seed, epoch v, batch 0, position i), image-major.</summary>
    public static byte[][] HeldOutViews(IReadOnlyList<byte[]> images)
    {
        const int size = FashionMnistSubset.ImageSize;
        var augmenter = new BatchAugmenter(PhotoPolicy, FixedViewSeed);
        var result = new byte[images.Count * ViewsPerTestIdentity][];
        using var scope = torch.NewDisposeScope();
        var batch = torch.tensor(images.SelectMany(image => image.Select(b => b / 255f)).ToArray(), new long[] { images.Count, 1, size, size });
        for (int v = 0; v < ViewsPerTestIdentity; v++)
        {
            var bytes = augmenter.Apply(batch, v, 0).mul(255f).round().to(torch.ScalarType.Byte).contiguous().data<byte>().ToArray();
            for (int i = 0; i < images.Count; i++)
                result[i * ViewsPerTestIdentity + v] = bytes.AsSpan(i * size * size, size * size).ToArray();
        }
        return result;
    }

    private static EmbeddingMetrics Evaluate(MLContext ml, IDataView scored) =>
        ml.EvaluateEmbeddings(scored, "Embedding", "Label", new EmbeddingEvaluationOptions { ComputeClusteringNmi = false, Seed = 1 });

    private static IDataView ToDataView(MLContext ml, List<PixelRow> rows)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FashionMnistSubset.ImageSize * FashionMnistSubset.ImageSize);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
