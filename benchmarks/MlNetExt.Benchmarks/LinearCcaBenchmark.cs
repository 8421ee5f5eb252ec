using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Samples.Data;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Linear CCA fit time on the image-halves problem of samples/BrainsOnForrestGump (3,000 Fashion-MNIST training images,
/// view A = left 14 columns, view B = right 14 columns: 392 values each, k = 10), once per ridge of the sample's sweep.
/// Prints wall and process CPU seconds per fit and the training total correlation (the same for any correct solver).
/// Reference: numpy (float64, OpenBLAS, eigh whitening + SVD) takes about 4 CPU-seconds for the sweep (issue 19).
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- cca [repeats=1] [libtorch threads]
/// </summary>
public static class LinearCcaBenchmark
{
    private sealed class HalvesRow
    {
        public float[] Left { get; set; } = [];

        public float[] Right { get; set; } = [];
    }

    public static int Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
        if (args.Length > 1)
            TorchSharp.torch.set_num_threads(int.Parse(args[1], CultureInfo.InvariantCulture));
        var ml = new MLContext(1);
        var data = Load(ml, FashionMnistSubset.LoadTrain());
        Console.WriteLine($"Linear CCA on image halves: 3000 rows, 392 + 392 values, k = 10, {Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} libtorch threads");
        double totalCpu = 0;
        for (int r = 0; r < repeats; r++)
        {
            foreach (var ridge in new[] { 1e-3, 1e-2, 1e-1, 1.0 })
            {
                var wall = Stopwatch.StartNew();
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var model = ml.Transforms.LinearCca(new LinearCcaOptions
                {
                    ViewAColumnName = "Left", ViewBColumnName = "Right", Components = 10, Regularization = ridge,
                }).Fit(data);
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                totalCpu += cpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  ridge {ridge,-6:G}: {wall.Elapsed.TotalSeconds,6:F2} s wall, {cpu,6:F2} CPU-s, training total correlation {model.CanonicalCorrelations.Sum():F4}"));
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {totalCpu:F1} CPU-s"));
        return 0;
    }

    private static IDataView Load(MLContext ml, FashionMnistSubset images)
    {
        const int size = FashionMnistSubset.ImageSize, half = size / 2;
        var rows = images.Images.Select(image =>
        {
            var row = new HalvesRow { Left = new float[size * half], Right = new float[size * half] };
            for (int y = 0; y < size; y++)
                for (int x = 0; x < half; x++)
                {
                    row.Left[y * half + x] = image[y * size + x] / 255f;
                    row.Right[y * half + x] = image[y * size + half + x] / 255f;
                }
            return row;
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(HalvesRow));
        schema[nameof(HalvesRow.Left)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size * half);
        schema[nameof(HalvesRow.Right)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size * half);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
