using MathNet.Numerics.Statistics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;

namespace BrainsOnForrestGump;

/// <summary>
/// "Brains on Forrest Gump": which parts of a movie does the brain share? A simulated movie feature stream and a
/// noisy 200-voxel brain stream share three smooth signals that the brain sees through non-linearities. Linear CCA
/// and deep CCA are fitted on the first two thirds of the "film" and judged on the last third.
/// </summary>
public static class Program
{
    public sealed class Frame
    {
        public float[] Movie { get; set; } = Array.Empty<float>();
        public float[] Brain { get; set; } = Array.Empty<float>();
    }

    public static void Main(string[] args)
    {
        if (args.Contains("--image-halves"))
        {
            ImageHalves.Run();
            return;
        }
        var ml = new MLContext(seed: 1);
        var recording = Recording.Simulate(timePoints: 3000, seed: 42);
        const int trainLength = 2000;
        var train = Load(ml, recording, 0, trainLength);
        var test = Load(ml, recording, trainLength, 3000 - trainLength);
        const int k = Recording.SharedLatents;

        var linear = ml.DeepLearning().Transforms.LinearCca(new LinearCcaOptions
        {
            ViewAColumnName = "Movie", ViewBColumnName = "Brain",
            ViewAOutputColumnName = "MovieVariates", ViewBOutputColumnName = "BrainVariates",
            Components = k, Regularization = 1e-3,
        }).Fit(train);
        var deep = ml.DeepLearning().Transforms.DeepCca(new DeepCcaOptions
        {
            ViewAColumnName = "Movie", ViewBColumnName = "Brain",
            ViewAOutputColumnName = "MovieVariates", ViewBOutputColumnName = "BrainVariates",
            Components = k, EncoderOutputDimension = 6, HiddenLayers = new[] { 64 }, Activation = ActivationKind.Tanh,
            FullBatch = true, Epochs = 400, LearningRate = 3e-3f, Optimizer = OptimizerKind.Adam, Regularization = 1e-3,
            Progress = p => { if (p.Epoch % 100 == 0) Console.WriteLine($"  deep CCA epoch {p.Epoch}: total correlation {-p.TrainLoss:F3}"); },
        }).Fit(train);

        var linearHeldOut = HeldOut(linear.Transform(test));
        var deepHeldOut = HeldOut(deep.Transform(test));
        Console.WriteLine($"held-out canonical correlations (last {3000 - trainLength} time points):");
        Console.WriteLine($"  linear CCA: {Format(linearHeldOut)}  total {linearHeldOut.Sum():F3}");
        Console.WriteLine($"  deep CCA:   {Format(deepHeldOut)}  total {deepHeldOut.Sum():F3}");
        Console.WriteLine($"  (training: linear {Format(linear.CanonicalCorrelations)}, deep {Format(deep.CanonicalCorrelations)})");

        // Plot the true brain response where deep CCA helps most against the brain variate (either method) that tracks it best.
        var truths = recording.SharedResponses.Select(r => r.Skip(trainLength).ToArray()).ToArray();
        var deepBrain = Enumerable.Range(0, k).Select(j => Variate(deep.ViewB.Transform(test), "BrainVariates", j)).ToArray();
        var linearBrain = Enumerable.Range(0, k).Select(j => Variate(linear.ViewB.Transform(test), "BrainVariates", j)).ToArray();
        double[] BestMatch(double[][] variates, double[] truth) => variates.OrderByDescending(v => Math.Abs(Correlation.Pearson(v, truth))).First();
        double Match(double[][] variates, double[] truth) => Math.Abs(Correlation.Pearson(BestMatch(variates, truth), truth));
        for (int i = 0; i < truths.Length; i++)
            Console.WriteLine($"  true brain response {i + 1}: best |corr| deep {Match(deepBrain, truths[i]):F3}, linear {Match(linearBrain, truths[i]):F3}");
        int best = Enumerable.Range(0, truths.Length).OrderByDescending(i => Match(deepBrain, truths[i]) - Match(linearBrain, truths[i])).First();
        var outputFolder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "output");
        Directory.CreateDirectory(outputFolder);
        var path = Path.GetFullPath(Path.Combine(outputFolder, "shared-signal.png"));
        var shown = truths[best].Take(400).ToArray();
        SignalPlot.Save(path, $"True shared brain response {best + 1} vs recovered canonical variates (brain view only, held-out)", shown,
            new[] { ("deep CCA", Align(BestMatch(deepBrain, truths[best]), truths[best]).Take(400).ToArray()),
                    ("linear CCA", Align(BestMatch(linearBrain, truths[best]), truths[best]).Take(400).ToArray()) });
        Console.WriteLine($"plot: {path}");
    }

    private static IDataView Load(MLContext ml, Recording r, int start, int count)
    {
        var schema = SchemaDefinition.Create(typeof(Frame));
        schema[nameof(Frame.Movie)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Recording.MovieFeatures);
        schema[nameof(Frame.Brain)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Recording.Voxels);
        var frames = Enumerable.Range(start, count).Select(t => new Frame { Movie = r.Movie[t], Brain = r.Brain[t] }).ToList();
        return ml.Data.LoadFromEnumerable(frames, schema);
    }

    private static double[] HeldOut(IDataView scored)
    {
        var a = scored.GetColumn<VBuffer<float>>("MovieVariates").Select(v => v.DenseValues().ToArray()).ToArray();
        var b = scored.GetColumn<VBuffer<float>>("BrainVariates").Select(v => v.DenseValues().ToArray()).ToArray();
        return Enumerable.Range(0, a[0].Length).Select(j => Correlation.Pearson(a.Select(r => (double)r[j]), b.Select(r => (double)r[j]))).ToArray();
    }

    private static double[] Variate(IDataView scored, string column, int index) =>
        scored.GetColumn<VBuffer<float>>(column).Select(v => (double)v.GetValues()[index]).ToArray();

    private static double[] Align(double[] values, double[] truth) =>
        Correlation.Pearson(values, truth) < 0 ? values.Select(v => -v).ToArray() : values;

    private static string Format(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("F3")));
}
