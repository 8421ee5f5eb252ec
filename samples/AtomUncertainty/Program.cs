// AtomUncertainty: regression that knows its uncertainty.
// Predicts a hydrogen atom's 3-D position from molecular descriptors, with a standard deviation for every coordinate
// of every prediction, and compares NeuralGaussian (beta-NLL) with a plain squared-error MLP whose uncertainty is a
// constant per coordinate taken from held-out residuals.
using System.Diagnostics;
using AtomUncertainty;
using Microsoft.ML;
using MlNetExt;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;

var stopwatch = Stopwatch.StartNew();
// Small networks train fastest on one CPU thread (and do not fight other processes for cores).
TorchSharp.torch.set_num_threads(1);
var ml = new MLContext(seed: 1);
var dl = ml.DeepLearning();   // MlNetExt's catalog on this context: its seed, log and GPU settings

var train = ml.Data.LoadFromEnumerable(AtomPositionSimulator.Simulate(8000, seed: 10));
var calibration = ml.Data.LoadFromEnumerable(AtomPositionSimulator.Simulate(1000, seed: 11));
var test = ml.Data.LoadFromEnumerable(AtomPositionSimulator.Simulate(3000, seed: 12));

NeuralGaussianOptions Options(int meanWarmupEpochs) => new()
{
    Epochs = 80,
    MeanWarmupEpochs = meanWarmupEpochs,
    BatchSize = 128,
    LearningRate = 3e-3f,
    HiddenLayers = [64, 64],
    Beta = 0.5f,
    Seed = 1,
};

// NeuralGaussian: 10 epochs of mean warm-up, then 70 of beta-NLL (beta = 0.5).
var gaussian = dl.Regression.Trainers.NeuralGaussian(Options(meanWarmupEpochs: 10)).Fit(train);
// Baseline: the same network trained on squared error only (every epoch is "mean warm-up"); its standard deviation
// output is ignored and replaced by the per-axis residual standard deviation on a held-out calibration set
// (the honest choice: training residuals would be optimistic).
var baseline = dl.Regression.Trainers.NeuralGaussian(Options(meanWarmupEpochs: 80)).Fit(train);
Console.WriteLine($"trained both models in {stopwatch.Elapsed.TotalSeconds:F0} s");

var baselineSigma = ScoredPositions.ResidualStdDev(ScoredPositions.Read(ml, baseline.Transform(calibration)));
var gaussianRows = ScoredPositions.Read(ml, gaussian.Transform(test));
var baselineRows = ScoredPositions.WithConstantStdDev(ScoredPositions.Read(ml, baseline.Transform(test)), baselineSigma);
var oracleRows = AtomPositionSimulator.Simulate(3000, seed: 12)
    .Select(a => new ScoredPosition { Label = a.Label, Score = a.TruePosition, ScoreStdDev = a.TrueStdDev, TrueStdDev = a.TrueStdDev })
    .ToArray();

double[] headlineLevels = [0.5, 0.68, 0.9, 0.95];
double[] curveLevels = Enumerable.Range(1, 19).Select(i => i * 0.05).Concat([0.68, 0.99]).Order().ToArray();
UncertaintyMetrics Evaluate(ScoredPosition[] rows, IReadOnlyList<double> levels) =>
    dl.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(rows), coverageLevels: levels);

var models = new (string Name, ScoredPosition[] Rows)[]
{
    ("NeuralGaussian (beta-NLL)", gaussianRows),
    ("MSE MLP + constant sigma", baselineRows),
    ("oracle (true mean, true sigma)", oracleRows),
};

Console.WriteLine();
Console.WriteLine($"Held-out atoms: {gaussianRows.Length} rows x 3 coordinates (angstrom); baseline sigma per axis = " +
    string.Join(" / ", baselineSigma.Select(s => s.ToString("F4"))));
Console.WriteLine($"{"model",-32} {"NLL",8} {"RMSE",8} {"ECE",7} {"cov50",7} {"cov68",7} {"cov90",7} {"cov95",7} {"mean sd",8} {"r(|e|,sd)",9} {"rho",6}");
foreach (var (name, rows) in models)
{
    var m = Evaluate(rows, headlineLevels);
    Console.WriteLine($"{name,-32} {m.MeanNegativeLogLikelihood,8:F3} {m.RootMeanSquaredError,8:F4} {m.ExpectedCalibrationError,7:F3} " +
        string.Join(" ", m.Coverage.Select(c => $"{c.Observed,7:P1}")) +
        $" {m.MeanStdDev,8:F4} {m.ErrorStdDevPearsonCorrelation,9:F3} {m.ErrorStdDevSpearmanCorrelation,6:F3}");
}

Console.WriteLine();
Console.WriteLine("Per coordinate (NLL / 90 % coverage):");
foreach (var (name, rows) in models)
{
    var m = Evaluate(rows, headlineLevels);
    Console.WriteLine($"  {name,-32} " + string.Join("   ", m.PerOutput.Select((c, i) =>
        $"{"xyz"[i]}: {c.MeanNegativeLogLikelihood:F3} / {c.CoverageAt(0.9):P1}")));
}

double sigmaCorrelation = Correlation(gaussianRows.SelectMany(r => r.ScoreStdDev), gaussianRows.SelectMany(r => r.TrueStdDev));
Console.WriteLine();
Console.WriteLine($"corr(predicted sigma, true sigma), NeuralGaussian, pooled: {sigmaCorrelation:F3}");

string outputFolder = OutputFolder();
Directory.CreateDirectory(outputFolder);
CalibrationPlots.CalibrationCurve(Path.Combine(outputFolder, "calibration.png"),
    models.Take(2).Select(m => (m.Name, Evaluate(m.Rows, curveLevels))).ToArray());
CalibrationPlots.StdDevAgainstTruth(Path.Combine(outputFolder, "sigma_vs_true_noise.png"), gaussianRows, baselineSigma);
Console.WriteLine($"plots written to {outputFolder} ({stopwatch.Elapsed.TotalSeconds:F0} s in all)");

static double Correlation(IEnumerable<float> a, IEnumerable<float> b)
{
    double[] x = a.Select(v => (double)v).ToArray(), y = b.Select(v => (double)v).ToArray();
    double mx = x.Average(), my = y.Average();
    double sxy = x.Zip(y, (p, q) => (p - mx) * (q - my)).Sum();
    return sxy / Math.Sqrt(x.Sum(p => (p - mx) * (p - mx)) * y.Sum(q => (q - my) * (q - my)));
}

// samples/AtomUncertainty/output/, found from the build output folder; the working folder's output/ otherwise.
static string OutputFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "AtomUncertainty.csproj")))
            return Path.Combine(folder.FullName, "output");
    return Path.Combine(Environment.CurrentDirectory, "output");
}
