// SpikingNeurons: simulated motorcycle rider -> neurons with non-linear tuning spiking as Poisson processes ->
// 50 ms bins with a 200 ms covariate history (BinSpikes) -> neural Poisson vs linear Poisson vs MSE-trained MLP,
// scored on held-out time by bits per spike, against the true rates (the ceiling).
// Usage: dotnet run -c Release --project samples/SpikingNeurons [-- <outputDir>] [--minutes N] [--neurons N]
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Evaluation;
using MlNetExt.Regression.Spikes;
using SpikingNeurons;

double minutes = ArgValue("--minutes", 15);
int neuronCount = (int)ArgValue("--neurons", 30);
string outputDir = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : Path.Combine(ProjectDirectory(), "output");
Directory.CreateDirectory(outputDir);

// A 20 -> 64 -> 64 -> 30 network is too small to gain from parallel kernels: one libtorch thread avoids thread
// hand-off costs, which dominate on a small or busy machine (same results; several times faster on 2 busy cores).
TorchSharp.torch.set_num_threads(1);

const double CovariateDt = 0.01, BinSeconds = 0.05;
const int HistoryBins = 4;
var clock = Stopwatch.StartNew();
var rng = new Random(2024);

// 1. Simulate the rider and the neurons.
var covariates = RiderSimulation.Simulate(minutes * 60, CovariateDt, rng);
var population = new NeuronPopulation(neuronCount, rng);
var (spikes, trueRates) = population.Fire(covariates, CovariateDt, rng);
Console.WriteLine($"simulated {minutes} min: {covariates.Length:N0} covariate samples, {neuronCount} neurons, {spikes.Length:N0} spikes ({clock.Elapsed.TotalSeconds:F1} s)");

// 2. Bin spikes and covariates: Counts (one per neuron), Covariates, History (previous 4 bins), Features.
var ml = new MLContext(seed: 1);
var dl = ml.DeepLearning();   // MlNetExt's catalog on this context: its seed, log and GPU settings
IDataView bins = dl.Data.BinSpikes(ml.Data.LoadFromEnumerable(spikes), ml.Data.LoadFromEnumerable(covariates),
    binSeconds: BinSeconds, historyBins: HistoryBins, neuronCount: neuronCount);
double splitTime = Math.Round(0.8 * minutes * 60 / BinSeconds) * BinSeconds;
IDataView train = ml.Data.FilterRowsByColumn(bins, "Time", upperBound: splitTime - 1e-6);
IDataView test = ml.Data.FilterRowsByColumn(bins, "Time", lowerBound: splitTime - 1e-6);
int featureWidth = ((VectorDataViewType)bins.Schema["Features"].Type).Size;
Console.WriteLine($"binned: {bins.GetRowCount():N0} bins of {BinSeconds * 1000} ms, {featureWidth} features; train < {splitTime} s <= test");

// 3. Train: neural Poisson, linear Poisson (no hidden layer), and the same MLP trained by squared error.
NeuralPoissonOptions Options(int[] hidden, CountLoss loss) => new()
{
    LabelColumnName = "Counts",
    HiddenLayers = hidden,
    Loss = loss,
    Epochs = 25,
    BatchSize = 512,
    LearningRate = 5e-3f,
    WeightDecay = 1e-4f,
    Seed = 1,
};
var models = new (string Name, NeuralPoissonOptions Options)[]
{
    ("neural Poisson (64-64)", Options([64, 64], CountLoss.PoissonNegativeLogLikelihood)),
    ("linear Poisson (GLM)", Options([], CountLoss.PoissonNegativeLogLikelihood)),
    ("MSE-trained MLP (64-64)", Options([64, 64], CountLoss.SquaredError)),
};
var fitted = new Dictionary<string, CountRegressionTransformer>();
foreach (var (name, options) in models)
{
    var t = Stopwatch.StartNew();
    fitted[name] = dl.Regression.Trainers.NeuralPoisson(options).Fit(train);
    Console.WriteLine($"trained {name,-26} in {t.Elapsed.TotalSeconds,5:F1} s (final train loss {fitted[name].History[^1].TrainLoss:F4})");
}

// 4. Held-out bits per spike, against each neuron's training mean rate.
double[] trainMeans = dl.Regression.ComputeMeanCounts(train, "Counts");
var results = new List<(string Name, CountMetrics Metrics)>();
foreach (var (name, _) in models)
    results.Add((name, dl.Regression.EvaluateCounts(fitted[name].Transform(test), "Counts", referenceMeanCounts: trainMeans)));
IDataView truth = TrueExpectedCounts(ml, test, trueRates, neuronCount);
results.Add(("true rates (ceiling)", dl.Regression.EvaluateCounts(truth, "Counts", "TrueCounts", referenceMeanCounts: trainMeans)));

Console.WriteLine();
Console.WriteLine($"{"held-out (last 20%)",-26} {"bits/spike",10} {"dev. expl.",10} {"NLL/bin",10}");
foreach (var (name, m) in results)
    Console.WriteLine($"{name,-26} {m.BitsPerSpike,10:F3} {m.DevianceExplained,10:F3} {m.MeanNegativeLogLikelihood,10:F4}");
double ceiling = results[^1].Metrics.BitsPerSpike, poisson = results[0].Metrics.BitsPerSpike;
Console.WriteLine($"neural Poisson reaches {100 * poisson / ceiling:F0}% of the ceiling; beats linear: {poisson > results[1].Metrics.BitsPerSpike}; beats MSE: {poisson > results[2].Metrics.BitsPerSpike}");

// 5. Save the model (a standard ML.NET zip, written through a temporary file: it loads with plain ML.NET + OnnxTransformer)
//    and the ONNX file; DeepLearning().Model.Load gives the typed model back, training history included.
var best = fitted[models[0].Name];
string zip = Path.Combine(outputDir, "spiking-neurons-poisson.zip");
dl.Model.Save(best, bins.Schema, zip);   // atomic: a failed save leaves the previous zip intact
best.ExportToOnnx(Path.Combine(outputDir, "spiking-neurons-poisson.onnx"));
var reloaded = dl.Model.Load<CountRegressionTransformer>(zip, out _);
Console.WriteLine($"reloaded {Path.GetFileName(zip)}: {reloaded.OutputCount} outputs, {reloaded.History.Count} epochs of history");

// 6. Plot true vs predicted rates for three neurons over the first minute of held-out time.
string png = Path.Combine(outputDir, "rates.png");
PlotRates(png);
Console.WriteLine($"wrote {zip}, {Path.ChangeExtension(zip, ".onnx")} and {png}; total {clock.Elapsed.TotalSeconds:F1} s");
return 0;

void PlotRates(string path)
{
    var window = ml.Data.FilterRowsByColumn(test, "Time", upperBound: splitTime + 60);
    double[] time = window.GetColumn<double>("Time").ToArray();
    float[][] Rates(IDataView scored, string column) => scored.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().Select(x => (float)(x / BinSeconds)).ToArray()).ToArray();
    var poissonRates = Rates(fitted[models[0].Name].Transform(window), "Score");
    var mseRates = Rates(fitted[models[2].Name].Transform(window), "Score");
    var trueWindow = Rates(ml.Data.FilterRowsByColumn(truth, "Time", upperBound: splitTime + 60), "TrueCounts");
    var panels = new[] { 0, 3, 4 }.Where(n => n < neuronCount).Select(n => (n, population.Kinds[n],
        trueWindow.Select(r => r[n]).ToArray(), poissonRates.Select(r => r[n]).ToArray(), mseRates.Select(r => r[n]).ToArray())).ToList();
    RatePlot.Save(path, time, panels);
}

static IDataView TrueExpectedCounts(MLContext ml, IDataView test, float[,] rates, int neurons)
{
    // Expected count of a bin = sum over its covariate samples of rate x dt (the simulation holds the rate per sample).
    int perBin = (int)Math.Round(BinSeconds / CovariateDt);
    var times = test.GetColumn<double>("Time").ToArray();
    var counts = test.GetColumn<VBuffer<float>>("Counts").Select(v => v.DenseValues().ToArray()).ToArray();
    var rows = times.Select((t, r) =>
    {
        int first = (int)Math.Round(t / CovariateDt);
        var expected = new float[neurons];
        for (int i = first; i < first + perBin && i < rates.GetLength(0); i++)
            for (int n = 0; n < neurons; n++) expected[n] += (float)(rates[i, n] * CovariateDt);
        return new TruthRow { Time = t, Counts = counts[r], TrueCounts = expected };
    }).ToArray();
    var schema = SchemaDefinition.Create(typeof(TruthRow));
    schema["Counts"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, neurons);
    schema["TrueCounts"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, neurons);
    return ml.Data.LoadFromEnumerable(rows, schema);
}

double ArgValue(string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static string ProjectDirectory()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "SpikingNeurons.csproj"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

sealed class TruthRow
{
    public double Time { get; set; }
    public float[] Counts { get; set; } = [];
    public float[] TrueCounts { get; set; } = [];
}
