using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The tuning sweep behind the image classifier's defaults (issue 18): a ten-images-per-class transfer task made from
/// the Fashion-MNIST subset. A small CNN (channels 16, 32, 64) is pretrained with the ImageClassifier on five classes
/// (T-shirt/top, Pullover, Coat, Sandal, Bag; 200 images each); the task is the other five (Trouser, Dress, Shirt,
/// Sneaker, Ankle boot) with 10 training images per class (draw k takes images 10(k-1)..10k-1 of each class and seeds
/// the fit with k) and all 100 held-out images per class of the test split; raw 28 px gray pixels at 32 px. Strategies:
/// scratch (the same CNN, random weights, fine-tuned), and frozen, fine-tune and staged on the pretrained CNN
/// (<c>ImageBackbone.FromClassifier</c>). Each is scored with the defaults, with the earlier defaults (10 epochs, backbone
/// multiplier 0.1, dropout 0.2) and over a grid of learning rate, backbone multiplier, epochs and dropout; the figure is
/// the held-out accuracy averaged over the draws. <c>ClassifierDefaultsTests</c> runs the same task in CI.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- classifier-sweep
///   [defaults[-strategy]|earlier|table|scratch|frozen|finetune|staged|finalists[-strategy]|all] [draws, default 3] [libtorch threads, default 1]
///   [first draw, default 1]
/// </summary>
public static class ClassifierDefaultsSweep
{
    private static readonly int[] PretrainClasses = [0, 2, 4, 5, 8];
    private static readonly int[] TaskClasses = [1, 3, 6, 7, 9];
    private const int PretrainPerClass = 200;
    private const int ShotsPerClass = 10;
    private const int ImageSize = 32;

    private sealed class Row
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    /// <summary>One configuration: a name and what it changes on top of the defaults.</summary>
    private sealed record Config(string Strategy, string Name, Action<ImageClassifierOptions> Apply);

    public static int Run(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "defaults";
        int draws = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        TorchSharp.torch.set_num_threads(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1);
        int firstDraw = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        var train = FashionMnistSubset.LoadTrain();
        var test = FashionMnistSubset.LoadTest();
        var clock = Stopwatch.StartNew();
        string pretrained = Pretrain(train);
        Console.WriteLine($"# pretrained small CNN: {pretrained} ({clock.Elapsed.TotalSeconds:F0} s); {Environment.ProcessorCount} cores, " +
                          $"{TorchSharp.torch.get_num_threads()} libtorch threads");
        Console.WriteLine("strategy\tconfig\t" + string.Join("\t", Enumerable.Range(firstDraw, draws).Select(d => $"draw{d}")) + "\tmean\tseconds");
        foreach (var config in Configs(what, pretrained))
        {
            clock.Restart();
            var accuracies = Enumerable.Range(firstDraw, draws).Select(d => HeldOutAccuracy(train, test, d, config)).ToArray();
            Console.WriteLine($"{config.Strategy}\t{config.Name}\t{string.Join("\t", accuracies.Select(a => a.ToString("F3", CultureInfo.InvariantCulture)))}" +
                              $"\t{accuracies.Average().ToString("F3", CultureInfo.InvariantCulture)}\t{clock.Elapsed.TotalSeconds:F0}");
        }
        return 0;
    }

    /// <summary>The task's network: small enough for CI.</summary>
    internal static SmallCnnOptions Network() => new() { Channels = [16, 32, 64] };

    private static IEnumerable<Config> Configs(string what, string pretrained)
    {
        ImageBackbone Scratch() => ImageBackbone.FromScratch("small_cnn", Network());
        ImageBackbone Pretrained() => ImageBackbone.FromClassifier(pretrained);
        var strategies = new (string Name, TransferStrategy Strategy, Func<ImageBackbone> Backbone)[]
        {
            ("scratch", TransferStrategy.FineTune, Scratch),
            ("frozen", TransferStrategy.Frozen, Pretrained),
            ("finetune", TransferStrategy.FineTune, Pretrained),
            ("staged", TransferStrategy.Staged, Pretrained),
        };
        foreach (var (name, strategy, backbone) in strategies)
        {
            bool finalists = what == "finalists" || what == "finalists-" + name;
            if (what is "defaults" or "all" or "table" || what == "defaults-" + name || finalists)
                yield return new Config(name, "defaults", o => { o.Strategy = strategy; o.Backbone = backbone(); });
            if (what is "earlier" or "all" or "table")
            {
                yield return new Config(name, "earlier defaults (10 epochs, head x10, backbone x0.1, dropout 0.2)", o =>
                {
                    o.Strategy = strategy;
                    o.Backbone = backbone();
                    o.Epochs = 10;
                    o.HeadLearningRateMultiplier = 10f;
                    o.BackboneLearningRateMultiplier = 0.1f;
                    o.Dropout = 0.2f;
                });
            }
            if (what == "table")
            {
                var (lr, multiplier, epochs, dropout) = Best(name);
                yield return Tuned(name, strategy, backbone, lr, multiplier, epochs, dropout);
            }
            if (finalists)
            {
                foreach (var (lr, multiplier, epochs, dropout) in Finalists(name))
                    yield return Tuned(name, strategy, backbone, lr, multiplier, epochs, dropout);
            }
            if (what != name && what != "all")
                continue;
            foreach (var (lr, multiplier, epochs, dropout) in Grid(name))
                yield return Tuned(name, strategy, backbone, lr, multiplier, epochs, dropout);
        }
    }

    private static Config Tuned(string name, TransferStrategy strategy, Func<ImageBackbone> backbone, float lr, float multiplier, int epochs,
        float dropout) =>
        new(name, $"lr={lr:G2} head-only x10 mult={multiplier:G2} epochs={epochs} dropout={dropout:G2}", o =>
        {
            o.Strategy = strategy;
            o.Backbone = backbone();
            o.LearningRate = lr;
            o.HeadLearningRateMultiplier = 10f;
            o.BackboneLearningRateMultiplier = multiplier;
            o.Epochs = epochs;
            o.Dropout = dropout;
        });

    /// <summary>The best tuned settings of the finalists on draws 1-4 for each strategy (what <c>table</c> runs).</summary>
    private static (float Lr, float Multiplier, int Epochs, float Dropout) Best(string strategy) => strategy switch
    {
        "scratch" => (3e-3f, 1f, 160, 0f),
        "frozen" => (1e-3f, 1f, 80, 0f),
        "finetune" => (3e-4f, 1f, 80, 0f),
        _ => (1e-3f, 1f, 40, 0f),
    };

    /// <summary>
    /// The best settings of the grid (run on draws 1-3) for each strategy, scored again on more draws together with the
    /// defaults; for frozen training, which is cheap, the whole grid.
    /// </summary>
    private static IEnumerable<(float Lr, float Multiplier, int Epochs, float Dropout)> Finalists(string strategy) => strategy switch
    {
        "scratch" => [(3e-3f, 1f, 160, 0f)],
        "frozen" => Grid("frozen"),
        "finetune" => [(3e-4f, 1f, 80, 0f), (3e-4f, 1f, 40, 0f), (1e-3f, 0.3f, 80, 0f), (1e-3f, 0.1f, 80, 0f), (3e-3f, 0.1f, 80, 0f)],
        _ => [(1e-3f, 1f, 40, 0f), (3e-3f, 0.1f, 80, 0f), (1e-3f, 0.3f, 80, 0f), (3e-4f, 1f, 80, 0f)],
    };

    /// <summary>Learning rate, backbone multiplier, epochs (50 images at batch 16: 4 steps each) and dropout to try.</summary>
    private static IEnumerable<(float Lr, float Multiplier, int Epochs, float Dropout)> Grid(string strategy)
    {
        if (strategy is "scratch" or "frozen")
        {
            float[] rates = strategy == "scratch" ? [1e-3f, 3e-3f] : [3e-4f, 1e-3f, 3e-3f];
            foreach (float lr in rates)
            foreach (int epochs in new[] { 40, 80, 160 })
                yield return (lr, 1f, epochs, 0f);
            yield return (1e-3f, 1f, 80, 0.2f);
            yield break;
        }
        foreach (float lr in new[] { 3e-4f, 1e-3f, 3e-3f })
        foreach (float multiplier in new[] { 0.1f, 1f })
        foreach (int epochs in new[] { 40, 80 })
            yield return (lr, multiplier, epochs, 0f);
        yield return (1e-3f, 0.3f, 80, 0f);
        yield return (1e-3f, 0.1f, 80, 0.2f);
    }

    private static double HeldOutAccuracy(FashionMnistSubset train, FashionMnistSubset test, int draw, Config config)
    {
        var ml = new MLContext(draw);
        var trainView = Load(ml, Take(train, TaskClasses, skip: (draw - 1) * ShotsPerClass, ShotsPerClass));
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(trainView);
        var testView = key.Transform(Load(ml, Take(test, TaskClasses, skip: 0, 100)));
        var options = new ImageClassifierOptions { FeatureColumnName = "Pixels", ImageSize = ImageSize, Seed = draw };
        config.Apply(options);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(key.Transform(trainView));
        return ml.MulticlassClassification.Evaluate(model.Transform(testView)).MicroAccuracy;
    }

    /// <summary>Pretrains the small CNN on the other classes once and caches its exported ONNX model in the temp folder.</summary>
    private static string Pretrain(FashionMnistSubset train)
    {
        string path = Path.Combine(Path.GetTempPath(), "mlnetext-sweep-small-cnn-16-32-64.onnx");
        if (File.Exists(path))
            return path;
        var ml = new MLContext(1);
        var data = Load(ml, Take(train, PretrainClasses, skip: 0, PretrainPerClass));
        data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Backbone = ImageBackbone.FromScratch("small_cnn", Network()), Strategy = TransferStrategy.FineTune,
            BackboneLearningRateMultiplier = 1f, Epochs = 8, ImageSize = ImageSize, BatchSize = 32, LearningRate = 1e-3f, Dropout = 0f, Seed = 1,
        }).Fit(data);
        model.ExportToOnnx(path);
        return path;
    }

    private static IEnumerable<Row> Take(FashionMnistSubset set, int[] classes, int skip, int count)
    {
        var seen = new int[10];
        for (int i = 0; i < set.Count; i++)
        {
            int c = set.Labels[i];
            if (!classes.Contains(c))
                continue;
            int n = seen[c]++;
            if (n >= skip && n < skip + count)
                yield return new Row { Pixels = set.Images[i].Select(b => (float)b).ToArray(), Label = FashionMnistSubset.ClassNames[c] };
        }
    }

    private static IDataView Load(MLContext ml, IEnumerable<Row> rows) => ml.Data.LoadFromEnumerable(rows.ToList());
}
