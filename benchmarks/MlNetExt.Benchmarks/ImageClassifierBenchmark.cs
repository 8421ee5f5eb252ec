using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Image classifier throughput on the CPU: training images/s per transfer strategy (one epoch over N synthetic RGB
/// images after a warm-up fit; Frozen includes computing the cached features), and ONNX scoring images/s through the
/// ML.NET pipeline (Transform + reading Score) and through a raw ONNX Runtime session (batch of N), for ResNet-18 and
/// the full MobileNetV2 (random weights: throughput does not depend on them) at 64 and 224 px.
/// The ft-epoch column is the steady state: the second of two fine-tune epochs (the first pays one-off costs such as
/// oneDNN kernel selection), which is what the PyTorch comparison figure (a warm train step) measures.
/// The torch-step column is the bare TorchSharp train step of the same backbone and batch (TrainStepBenchmark): the
/// ceiling the trainer's ft-epoch can reach.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- classifier [images] [sizes, e.g. 64,224] [batch]
/// </summary>
public static class ImageClassifierBenchmark
{
    private sealed class Row
    {
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public static void Run(string[] args)
    {
        int images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        int[] sizes = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [64, 224];
        int batchSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
        Console.WriteLine($"Image classifier throughput, {images} images per case, batch {batchSize}, {Environment.ProcessorCount} cores visible, {TorchSharp.torch.get_num_threads()} libtorch threads");
        Console.WriteLine("img/s; frozen, fine-tune, staged: whole Fit (network build, feature caching, training, ONNX export, session creation)");
        Console.WriteLine("ft-epoch: second fine-tune epoch only (steady state); ML.NET: Transform + reading Score; ORT: one InferenceSession.Run on the batch");
        Console.WriteLine($"{"backbone",-13} {"size",5} {"frozen",9} {"fine-tune",10} {"ft-epoch",11} {"torch-step",11} {"staged",9} {"ML.NET",9} {"ORT",9}");
        foreach (var architecture in new[] { "resnet18", "mobilenet_v2" })
        {
            foreach (int size in sizes)
            {
                var ml = new MLContext(1);
                var data = Synthetic(ml, images, size);
                double Train(TransferStrategy strategy, out ImageClassifierModel model, out double epochRate)
                {
                    var options = new ImageClassifierOptions
                    {
                        FeatureColumnName = "Pixels", Backbone = ImageBackbone.FromScratch(architecture), Strategy = strategy, Epochs = strategy == TransferStrategy.Frozen ? 1 : 2,
                        HeadEpochs = 1, ImageSize = size, BatchSize = batchSize, Seed = 1,
                    };
                    var clock = Stopwatch.StartNew();
                    model = new ImageClassificationTrainer(ml, options).Fit(data);
                    double elapsed = clock.Elapsed.TotalSeconds;
                    var history = model.History;
                    double lastEpoch = history.Count > 1 ? (history[^1].Elapsed - history[^2].Elapsed).TotalSeconds : history[^1].Elapsed.TotalSeconds;
                    epochRate = images / lastEpoch;
                    return images * options.Epochs / elapsed;
                }
                Train(TransferStrategy.Frozen, out _, out _);   // warm-up
                double frozen = Train(TransferStrategy.Frozen, out _, out _);
                double fineTune = Train(TransferStrategy.FineTune, out var trained, out double fineTuneEpoch);
                double bareStep = TrainStepBenchmark.Measure(architecture, size, batchSize, Math.Max(2, images / batchSize));
                double staged = Train(TransferStrategy.Staged, out _, out _);
                double pipeline = ScorePipeline(trained, data, images);
                double session = ScoreSession(trained, images, size);
                Console.WriteLine($"{architecture,-13} {size,5} {frozen,9:N1} {fineTune,10:N1} {fineTuneEpoch,11:N1} {bareStep,11:N1} {staged,9:N1} {pipeline,9:N1} {session,9:N1}");
            }
        }
    }

    private static IDataView Synthetic(MLContext ml, int count, int size)
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Pixels = Enumerable.Range(0, 3 * size * size).Select(_ => (float)random.Next(256)).ToArray(),
            Label = (i % 2).ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size * size);
        var view = ml.Data.LoadFromEnumerable(rows, definition);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    private static double ScorePipeline(ImageClassifierModel model, IDataView data, int images)
    {
        double Once()
        {
            var clock = Stopwatch.StartNew();
            var scored = model.Model.Transform(data);
            long n = 0;
            foreach (var score in scored.GetColumn<float[]>("Score"))
                n += score.Length > 0 ? 1 : 0;
            return n / clock.Elapsed.TotalSeconds;
        }
        Once();
        return Once();
    }

    private static double ScoreSession(ImageClassifierModel model, int images, int size)
    {
        using var session = new InferenceSession(model.GetOnnxModel("pipeline"));
        var random = new Random(2);
        var input = new DenseTensor<float>(Enumerable.Range(0, images * 3 * size * size).Select(_ => (float)random.Next(256)).ToArray(),
            [images, 3 * size * size]);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor(model.OnnxInputName, input) };
        using (session.Run(inputs))
        {
        }
        var clock = Stopwatch.StartNew();
        using (session.Run(inputs))
        {
        }
        return images / clock.Elapsed.TotalSeconds;
    }
}
