// A user's application built only from the MlNetExt packages (see Training.csproj). For each plugin it trains a small
// model, saves it, loads it back and checks that the loaded model scores exactly as the trained one; it writes each
// model with its inputs and scores for the scoring-only consumer.
//
// Usage: Training <output folder>
// Prints one "ok <plugin>: ..." line per plugin; on the first error prints "FAILED <exception type>: <message>" to
// standard error and exits with 2 (a failed check exits with 3).
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Vision.Classification;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Training <output folder>");
    return 1;
}

string output = Path.GetFullPath(args[0]);
Directory.CreateDirectory(output);
try
{
    Console.WriteLine($"shipped weights in the output: {File.Exists(Path.Combine(AppContext.BaseDirectory, "models", "mobilenet_v2_imagenet_b10.safetensors"))}");
    Plugins.Counts(output);
    Plugins.Gaussian(output);
    Plugins.AugmentationAndImageClassifier(output);
    Plugins.TripletEmbedding(output);
    Plugins.DeepCca(output);
    Console.WriteLine("all plugins trained, saved, reloaded and scored");
    return 0;
}
catch (CheckFailedException e)
{
    Console.Error.WriteLine($"FAILED check: {e.Message}");
    return 3;
}
catch (Exception e)
{
    Console.Error.WriteLine($"FAILED {e.GetType().FullName}: {e.Message}");
    Console.Error.WriteLine(e);
    return 2;
}

internal sealed class CheckFailedException(string message) : Exception(message);

internal sealed class VectorRow
{
    [VectorType(3)] public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

internal sealed class LabelledVectorRow
{
    [VectorType(8)] public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

internal sealed class TwoViewRow
{
    [VectorType(4)] public float[] ViewA { get; set; } = [];

    [VectorType(4)] public float[] ViewB { get; set; } = [];
}

internal sealed class ImageRow
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}

internal static class Plugins
{
    // Neural Poisson regression: counts whose log-rate is linear in three features.
    public static void Counts(string output)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = new List<VectorRow>();
        var trueRates = new List<double>();
        for (int i = 0; i < 600; i++)
        {
            float[] x = [Uniform(random), Uniform(random), Uniform(random)];
            double rate = Math.Exp(0.5 + 0.8 * x[0] - 0.5 * x[1]);
            rows.Add(new VectorRow { Features = x, Label = Poisson(random, rate) });
            trueRates.Add(rate);
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var model = new NeuralPoissonTrainer(ml, new NeuralPoissonOptions { HiddenLayers = [8], Epochs = 20, Seed = 1 }).Fit(data);
        float[] scores = model.Transform(data).GetColumn<float>("Score").ToArray();
        double correlation = Correlation(scores.Select(s => Math.Log(s)).ToArray(), trueRates.Select(r => Math.Log(r)).ToArray());
        Check(correlation > 0.8, $"counts: predicted and true log-rates correlate only {correlation:F3}");

        var reloaded = SaveAndReload(ml, model, data.Schema, Path.Combine(output, "counts.zip"));
        float[] again = reloaded.Transform(data).GetColumn<float>("Score").ToArray();
        CheckEqual("counts", scores, again);
        WriteCsv(Path.Combine(output, "counts.inputs.csv"), rows.Select(r => r.Features));
        WriteCsv(Path.Combine(output, "counts.expected.csv"), scores.Select(s => new[] { s }));
        Console.WriteLine($"ok counts: NeuralPoisson on {rows.Count} rows, log-rate correlation with the truth {correlation:F3}, "
            + $"saved counts.zip ({new FileInfo(Path.Combine(output, "counts.zip")).Length} bytes), reloaded scores identical");
    }

    // Gaussian mean-and-uncertainty regression: a sine whose noise grows with the second feature.
    public static void Gaussian(string output)
    {
        var ml = new MLContext(seed: 2);
        var random = new Random(2);
        var rows = new List<VectorRow>();
        for (int i = 0; i < 600; i++)
        {
            float[] x = [Uniform(random), Uniform(random), Uniform(random)];
            double sigma = 0.05 + 0.4 * Math.Abs(x[1]);
            rows.Add(new VectorRow { Features = x, Label = (float)(2 * Math.Sin(2 * x[0]) + sigma * Normal(random)) });
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var model = new NeuralGaussianTrainer(ml, new NeuralGaussianOptions { HiddenLayers = [16], Epochs = 30, Seed = 2 }).Fit(data);
        var scored = model.Transform(data);
        float[] mean = scored.GetColumn<float>("Score").ToArray();
        float[] stdDev = scored.GetColumn<float>("ScoreStdDev").ToArray();
        Check(stdDev.All(s => s > 0 && float.IsFinite(s)), "gaussian: a predicted standard deviation is not positive and finite");
        double rmse = Math.Sqrt(rows.Select((r, i) => Math.Pow(r.Label - mean[i], 2)).Average());

        var reloaded = SaveAndReload(ml, model, data.Schema, Path.Combine(output, "gaussian.zip")).Transform(data);
        CheckEqual("gaussian mean", mean, reloaded.GetColumn<float>("Score").ToArray());
        CheckEqual("gaussian standard deviation", stdDev, reloaded.GetColumn<float>("ScoreStdDev").ToArray());
        WriteCsv(Path.Combine(output, "gaussian.inputs.csv"), rows.Select(r => r.Features));
        WriteCsv(Path.Combine(output, "gaussian.expected.csv"), mean.Select((m, i) => new[] { m, stdDev[i] }));
        Console.WriteLine($"ok gaussian: NeuralGaussian on {rows.Count} rows, training RMSE {rmse:F3} (label SD {StdDev(rows.Select(r => (double)r.Label)):F3}), "
            + $"predicted SD {stdDev.Min():F3}..{stdDev.Max():F3}, reloaded means and SDs identical");
    }

    // AugmentImages (data operation) feeding the default ImageClassifier (the shipped MobileNetV2 weights).
    public static void AugmentationAndImageClassifier(string output)
    {
        var ml = new MLContext(seed: 3);
        string folder = Path.Combine(output, "images");
        var rows = StripeImages.Write(folder, perClass: 16, seed: 3);
        var raw = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var loader = ml.Transforms.LoadImages("Image", imageFolder: null, "ImagePath").Fit(keyed);
        var images = loader.Transform(keyed);

        var augmented = ml.Data.AugmentImages(images, "Image", AugmentationPolicy.Default, copiesPerImage: 2, seed: 3);
        long augmentedRows = augmented.GetColumn<uint>("Label").LongCount();
        Check(augmentedRows == 3 * rows.Count, $"augmentation: expected {3 * rows.Count} rows, found {augmentedRows}");

        var classifier = new ImageClassificationTrainer(ml, new ImageClassifierOptions
        {
            Epochs = 4, ImageSize = 32, BatchSize = 16, Seed = 3,
        }).Fit(augmented);
        var toText = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(classifier.Transform(images));
        var model = new TransformerChain<ITransformer>(loader, classifier, toText);

        var scored = model.Transform(keyed);
        string[] predicted = scored.GetColumn<string>("PredictedText").ToArray();
        float[][] probabilities = scored.GetColumn<float[]>("Score").ToArray();
        double accuracy = predicted.Where((p, i) => p == rows[i].Label).Count() / (double)rows.Count;
        Check(accuracy >= 0.8, $"image classifier: training accuracy {accuracy:F3} (stripe orientation should be easy)");

        var reloaded = SaveAndReload(ml, model, keyed.Schema, Path.Combine(output, "classifier.zip")).Transform(keyed);
        CheckEqual("image classifier", probabilities.SelectMany(p => p).ToArray(), reloaded.GetColumn<float[]>("Score").SelectMany(p => p).ToArray());
        Check(predicted.SequenceEqual(reloaded.GetColumn<string>("PredictedText")), "image classifier: reloaded labels differ");
        File.WriteAllLines(Path.Combine(output, "classifier.inputs.csv"), rows.Select(r => r.ImagePath));
        WriteCsv(Path.Combine(output, "classifier.expected.csv"), probabilities);
        Console.WriteLine($"ok augmentation: AugmentImages turned {rows.Count} images into {augmentedRows} rows");
        Console.WriteLine($"ok image classifier: default ImageClassifier (shipped MobileNetV2) on {augmentedRows} augmented 32 px images, "
            + $"training accuracy {accuracy:F3}, reloaded probabilities identical");
    }

    // Triplet embeddings of vectors: four identities in two informative dimensions among six noisy ones.
    public static void TripletEmbedding(string output)
    {
        var ml = new MLContext(seed: 4);
        var random = new Random(4);
        var rows = new List<LabelledVectorRow>();
        for (int c = 0; c < 4; c++)
        {
            for (int i = 0; i < 20; i++)
            {
                var x = new float[8];
                x[0] = (c % 2 == 0 ? 1f : -1f) + 0.2f * Uniform(random);
                x[1] = (c / 2 == 0 ? 1f : -1f) + 0.2f * Uniform(random);
                for (int j = 2; j < 8; j++) x[j] = 2f * Uniform(random);
                rows.Add(new LabelledVectorRow { Features = x, Label = "id" + c });
            }
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var model = new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            InputColumnName = "Features", OutputColumnName = "Embedding", EmbeddingDimension = 4, HiddenLayers = [16],
            Epochs = 15, LearningRate = 3e-3f, ClassesPerBatch = 4, ExamplesPerClass = 4, Seed = 4,
        }).Fit(data);
        var scored = model.Transform(data);
        float[][] embeddings = scored.GetColumn<float[]>("Embedding").ToArray();
        var metrics = ml.EvaluateEmbeddings(scored, "Embedding", "Label");

        var reloaded = SaveAndReload(ml, model, data.Schema, Path.Combine(output, "triplet.zip")).Transform(data);
        CheckEqual("triplet embedding", embeddings.SelectMany(e => e).ToArray(), reloaded.GetColumn<float[]>("Embedding").SelectMany(e => e).ToArray());
        WriteCsv(Path.Combine(output, "triplet.inputs.csv"), rows.Select(r => r.Features));
        WriteCsv(Path.Combine(output, "triplet.expected.csv"), embeddings);
        Console.WriteLine($"ok triplet embedding: {rows.Count} vectors of 4 identities, recall@1 {metrics.RecallAt1:F3}, "
            + $"MAP@R {metrics.MeanAveragePrecisionAtR:F3}, reloaded embeddings identical");
    }

    // Deep CCA: two views that share two latent variables through different non-linear maps.
    public static void DeepCca(string output)
    {
        var ml = new MLContext(seed: 5);
        var random = new Random(5);
        var rows = new List<TwoViewRow>();
        for (int i = 0; i < 400; i++)
        {
            float z1 = Uniform(random), z2 = Uniform(random);
            rows.Add(new TwoViewRow
            {
                ViewA = [z1 + 0.1f * Uniform(random), MathF.Tanh(2 * z2), z1 * z2, Uniform(random)],
                ViewB = [MathF.Sin(2 * z1), z2 + 0.1f * Uniform(random), Uniform(random), z1 - z2],
            });
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var model = new DeepCcaEstimator(ml, new DeepCcaOptions { Components = 2, HiddenLayers = [16], Epochs = 10, Seed = 5 }).Fit(data);
        var scored = model.Transform(data);
        float[][] a = scored.GetColumn<float[]>("ViewAEmbedding").ToArray();
        float[][] b = scored.GetColumn<float[]>("ViewBEmbedding").ToArray();

        var reloaded = SaveAndReload(ml, model, data.Schema, Path.Combine(output, "cca.zip")).Transform(data);
        CheckEqual("deep CCA view A", a.SelectMany(v => v).ToArray(), reloaded.GetColumn<float[]>("ViewAEmbedding").SelectMany(v => v).ToArray());
        CheckEqual("deep CCA view B", b.SelectMany(v => v).ToArray(), reloaded.GetColumn<float[]>("ViewBEmbedding").SelectMany(v => v).ToArray());
        WriteCsv(Path.Combine(output, "cca.inputs.csv"), rows.Select(r => r.ViewA.Concat(r.ViewB).ToArray()));
        WriteCsv(Path.Combine(output, "cca.expected.csv"), a.Select((v, i) => v.Concat(b[i]).ToArray()));
        Console.WriteLine($"ok deep CCA: {rows.Count} pairs of views, canonical correlations "
            + $"{string.Join(", ", model.CanonicalCorrelations.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))}, reloaded embeddings identical");
    }

    private static ITransformer SaveAndReload(MLContext ml, ITransformer model, DataViewSchema schema, string path)
    {
        ml.Model.Save(model, schema, path);
        return ml.Model.Load(path, out _);
    }

    // The fitted model scores in batches and plain ml.Model.Load scores row by row: ONNX Runtime's batched kernels may
    // round the last bit differently, so "the same score" is equal within 1e-5 relative.
    private static void CheckEqual(string what, float[] expected, float[] actual)
    {
        Check(expected.Length == actual.Length, $"{what}: {expected.Length} values before saving, {actual.Length} after reloading");
        for (int i = 0; i < expected.Length; i++)
            Check(Math.Abs((double)expected[i] - actual[i]) <= 1e-5 * Math.Max(1.0, Math.Abs((double)expected[i])),
                $"{what}: value {i} is {expected[i]:R} before saving and {actual[i]:R} after reloading");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new CheckFailedException(message);
    }

    private static void WriteCsv(string path, IEnumerable<float[]> rows) =>
        File.WriteAllLines(path, rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

    private static float Uniform(Random random) => (float)(2 * random.NextDouble() - 1);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }
        return count;
    }

    private static double StdDev(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }
}

/// <summary>32 px PNG images of horizontal or vertical stripes in random colours and phases, with pixel noise.</summary>
internal static class StripeImages
{
    public static List<ImageRow> Write(string folder, int perClass, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var rows = new List<ImageRow>();
        foreach (string label in new[] { "horizontal", "vertical" })
        {
            for (int i = 0; i < perClass; i++)
            {
                const int side = 32;
                var bgra = new byte[side * side * 4];
                int period = 4 + random.Next(5), phase = random.Next(period);
                byte[] on = [(byte)random.Next(128, 256), (byte)random.Next(128, 256), (byte)random.Next(128, 256)];
                for (int y = 0; y < side; y++)
                {
                    for (int x = 0; x < side; x++)
                    {
                        bool stripe = ((label == "horizontal" ? y : x) + phase) % period < period / 2;
                        int p = 4 * (y * side + x);
                        for (int ch = 0; ch < 3; ch++)
                            bgra[p + ch] = (byte)Math.Clamp((stripe ? on[ch] : 30) + random.Next(-20, 21), 0, 255);
                        bgra[p + 3] = 255;
                    }
                }

                string path = Path.Combine(folder, $"{label}-{i:D2}.png");
                using (var image = MLImage.CreateFromPixels(side, side, MLPixelFormat.Bgra32, bgra))
                    image.Save(path);
                rows.Add(new ImageRow { ImagePath = path, Label = label });
            }
        }
        return rows;
    }
}
