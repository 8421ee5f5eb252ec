using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MlNetExt.Embeddings.Evaluation;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Embedding evaluation at identity scale (issue 19 / issue 15: k-means and NMI): synthetic L2-normalised embeddings of
/// <c>identities</c> identities x <c>views</c> rows (a random centre per identity on the sphere plus noise), evaluated by
/// <c>mlContext.EvaluateEmbeddings</c> (recall, MAP@R, verification and MlNetExt's k-means NMI), or clustered by ML.NET's
/// KMeansTrainer and scored by ML.NET's clustering evaluator (<c>mlnet</c>). Prints wall time, process CPU time and the
/// process's peak working set; run one variant per process so the peak is that variant's.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- embedding-eval [mlnetext|no-nmi|mlnet|mlnet-plusplus|mlnet-random]
///   [identities (5000)] [views (4)] [dim (128)], positional  (mlnet: ML.NET's default initialisation, KMeansYinyang)
/// </summary>
public static class EmbeddingEvaluationBenchmark
{
    private sealed class Row
    {
        public float[] Embedding { get; set; } = [];

        public uint Label { get; set; }
    }

    public static int Run(string[] args)
    {
        string variant = args.Length > 0 ? args[0] : "mlnetext";
        int identities = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        int views = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        int dim = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 128;
        var rows = Synthetic(identities, views, dim, seed: 1);
        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), identities + 1);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        Console.WriteLine($"{variant}: {rows.Count} rows, {identities} identities, {dim}-d, {Environment.ProcessorCount} cores");

        var wall = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        string result;
        switch (variant)
        {
            case "mlnetext":
            case "no-nmi":
            {
                var m = ml.EvaluateEmbeddings(data, "Embedding", "Label", new EmbeddingEvaluationOptions { ComputeClusteringNmi = variant == "mlnetext", Seed = 1 });
                result = m.ToString();
                break;
            }
            case "mlnet" or "mlnet-plusplus" or "mlnet-random":
            {
                var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
                {
                    FeatureColumnName = "Embedding", NumberOfClusters = identities, MaximumNumberOfIterations = 100,
                    InitializationAlgorithm = variant switch
                    {
                        "mlnet-plusplus" => KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
                        "mlnet-random" => KMeansTrainer.InitializationAlgorithm.Random,
                        _ => KMeansTrainer.InitializationAlgorithm.KMeansYinyang,
                    },
                });
                var model = trainer.Fit(data);
                var fitted = wall.Elapsed.TotalSeconds;
                var m = ml.Clustering.Evaluate(model.Transform(data), labelColumnName: "Label", scoreColumnName: "Score");
                result = string.Create(CultureInfo.InvariantCulture, $"NMI (I/H(label)) {m.NormalizedMutualInformation:F4}, k-means fit {fitted:F1} s");
                break;
            }
            default:
                throw new ArgumentException($"Unknown variant '{variant}': mlnetext, no-nmi or mlnet.");
        }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wall {wall.Elapsed.TotalSeconds:F1} s, CPU {cpu:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB"));
        return 0;
    }

    private static List<Row> Synthetic(int identities, int views, int dim, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var rows = new List<Row>(identities * views);
        for (int i = 0; i < identities; i++)
        {
            var centre = Enumerable.Range(0, dim).Select(_ => Gaussian()).ToArray();
            for (int v = 0; v < views; v++)
            {
                var e = centre.Select(c => (float)(c + 0.8 * Gaussian())).ToArray();
                float norm = MathF.Sqrt(e.Sum(x => x * x));
                rows.Add(new Row { Embedding = e.Select(x => x / norm).ToArray(), Label = (uint)i + 1 });
            }
        }
        return rows;
    }
}
