using System.Diagnostics;
using System.Globalization;
using EmbeddingFaces;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The reference side of the identities protocol written as a plain TorchSharp program: the computation of
/// benchmarks/TripletReference/triplet_reference.py (network, input normalisation, permutation P x K batches, FaceNet
/// semi-hard mining, mean over anchor-positive pairs, Adam 1e-3) with nothing of MlNetExt's training path (no
/// NeuralTrainingLoop, no TripletEmbeddingEstimator, no TripletLoss, no Vision backbone). Views are drawn by the same
/// <see cref="BatchAugmenter"/> and <see cref="PhotoViews.Policy"/> (the protocol), and the held-out views and the
/// evaluator are the MlNetExt benchmark's, so the two sides differ only in the training path. For machines without
/// PyTorch (python3-torch) it stands in for triplet_reference.py.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- triplet-plain [epochs=3 p=64 k=3 seed=1 channels=16,32,64]
/// </summary>
public static class TripletPlainLoopReference
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    public static int Run(string[] args)
    {
        var o = args.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "true", StringComparer.OrdinalIgnoreCase);
        int Get(string key, int fallback) => o.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int epochs = Get("epochs", 3), p = Get("p", 64), k = Get("k", 3), seed = Get("seed", 1);
        var channels = (o.TryGetValue("channels", out var c) ? c : "16,32,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        const int size = FashionMnistSubset.ImageSize;
        const float margin = 0.2f;

        var train = FashionMnistSubset.LoadTrain();
        var test = FashionMnistSubset.LoadTest();
        var heldOut = TripletIdentitiesBenchmark.HeldOutViews(test.Images);
        Console.WriteLine($"Plain TorchSharp loop, identities protocol: {train.Count} training identities, K={k}, P={p}, {epochs} epochs, " +
            $"FaceNet semi-hard / mean, policy {PhotoViews.Policy.Name}, small CNN {string.Join("-", channels)}, {torch.get_num_threads()} libtorch threads");

        torch.manual_seed(seed);
        using var net = new PlainSmallCnn(channels, 64);
        var ml = new MLContext(seed);
        var untrained = Evaluate(ml, net, heldOut);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"untrained: recall@1 {untrained.RecallAt1:F3}  MAP@R {untrained.MeanAveragePrecisionAtR:F3}  AUC {untrained.AreaUnderRocCurve:F4}"));

        using var all = torch.tensor(train.Images.SelectMany(image => image.Select(b => b / 255f)).ToArray(), new long[] { train.Count, 1, size, size });
        var augmenter = new BatchAugmenter(PhotoViews.Policy, seed);
        var random = new Random(seed);
        using var optimizer = torch.optim.Adam(net.parameters(), lr: 1e-3);
        var wall = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            net.train();
            var order = Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).ToArray();
            double lossSum = 0, activeSum = 0;
            int batches = 0;
            for (int start = 0; start + p <= order.Length; start += p)
            {
                using var scope = torch.NewDisposeScope();
                var ids = order.Skip(start).Take(p).SelectMany(id => Enumerable.Repeat((long)id, k)).ToArray();
                using var index = torch.tensor(ids);
                var views = augmenter.Apply(all.index_select(0, index), epoch, batches);
                var (loss, active) = FaceNetSemiHardLoss(net.call(ToInput(views)), index, margin);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                activeSum += active;
                batches++;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {epoch}: loss {lossSum / batches:F4}, active {activeSum / batches:P1}, {wall.Elapsed.TotalSeconds:F0} s"));
        }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double seconds = wall.Elapsed.TotalSeconds;
        var trained = Evaluate(ml, net, heldOut);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained:   recall@1 {trained.RecallAt1:F3}  MAP@R {trained.MeanAveragePrecisionAtR:F3}  AUC {trained.AreaUnderRocCurve:F4}  ({seconds:F0} s training, {cpu:F0} CPU-s)"));
        return 0;
    }

    /// <summary>Gray [N, 1, H, W] in [0, 1] -> RGB normalised with ImageNet's mean and std (what the exported graph does).</summary>
    private static Tensor ToInput(Tensor gray)
    {
        var mean = torch.tensor(ImageNetMean).view(1, 3, 1, 1);
        var std = torch.tensor(ImageNetStd).view(1, 3, 1, 1);
        return gray.expand(-1, 3, -1, -1).sub(mean).div(std);
    }

    /// <summary>Per anchor-positive pair the hardest negative farther than the positive, else the farthest negative;
    /// hinge with <paramref name="margin"/>, mean over the pairs. Returns the loss and the fraction of active pairs.</summary>
    private static (Tensor Loss, double Active) FaceNetSemiHardLoss(Tensor embeddings, Tensor labels, float margin)
    {
        using var two = 2f.ToScalar();
        using var zero = 0f.ToScalar();
        using var tiny = 1e-12f.ToScalar();
        using var marginScalar = margin.ToScalar();
        using var big = float.MaxValue.ToScalar();
        using var minusBig = (-float.MaxValue).ToScalar();
        var squared = embeddings.square().sum(1);
        var d = squared.unsqueeze(1).add(squared.unsqueeze(0)).sub(embeddings.mm(embeddings.t()).mul(two)).clamp_min(zero).clamp_min(tiny).sqrt();
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var positive = same.logical_and(torch.eye(labels.shape[0], dtype: ScalarType.Bool).logical_not());
        var negative = same.logical_not();
        var pairs = positive.nonzero();
        var a = pairs.select(1, 0);
        var pIndex = pairs.select(1, 1);
        var dap = d.index(a, pIndex);
        var dan = d.index_select(0, a);
        var valid = negative.index_select(0, a);
        var outside = valid.logical_and(dan.gt(dap.unsqueeze(1)));
        var hardestOutside = torch.where(outside, dan, torch.full_like(dan, big)).min(1).values;
        var farthest = torch.where(valid, dan, torch.full_like(dan, minusBig)).max(1).values;
        var chosen = torch.where(outside.any(1), hardestOutside, farthest);
        var losses = dap.sub(chosen).add(marginScalar).relu();
        double active = losses.gt(zero).to(ScalarType.Float32).mean().item<float>();
        return (losses.mean(), active);
    }

    private static EmbeddingMetrics Evaluate(MLContext ml, PlainSmallCnn net, byte[][] views)
    {
        net.eval();
        var rows = new List<EmbeddedRow>();
        using (torch.no_grad())
        {
            for (int start = 0; start < views.Length; start += 500)
            {
                using var scope = torch.NewDisposeScope();
                int n = Math.Min(500, views.Length - start);
                var pixels = torch.tensor(views.Skip(start).Take(n).SelectMany(v => v.Select(b => b / 255f)).ToArray(),
                    new long[] { n, 1, FashionMnistSubset.ImageSize, FashionMnistSubset.ImageSize });
                var embeddings = net.call(ToInput(pixels)).contiguous().data<float>().ToArray();
                for (int i = 0; i < n; i++)
                    rows.Add(new EmbeddedRow
                    {
                        Embedding = embeddings.AsSpan(i * 64, 64).ToArray(),
                        Label = $"test-{(start + i) / TripletIdentitiesBenchmark.ViewsPerTestIdentity}",
                    });
            }
        }
        var schema = SchemaDefinition.Create(typeof(EmbeddedRow));
        schema[nameof(EmbeddedRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 64);
        return ml.EvaluateEmbeddings(ml.Data.LoadFromEnumerable(rows, schema), "Embedding", "Label",
            new EmbeddingEvaluationOptions { ComputeClusteringNmi = false, Seed = 1 });
    }

    private sealed class EmbeddedRow
    {
        public float[] Embedding { get; set; } = [];

        public string Label { get; set; } = "";
    }

    /// <summary>conv3x3 (no bias)-BN-ReLU blocks with 2x2 max pooling after all but the last, global average pooling,
    /// a linear projection and L2 normalisation; convolutions Kaiming-normal (fan_out, ReLU), the rest PyTorch's defaults.</summary>
    private sealed class PlainSmallCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> features;
        private readonly nn.Module<Tensor, Tensor> fc;

        public PlainSmallCnn(IReadOnlyList<int> channels, int dimension) : base(nameof(PlainSmallCnn))
        {
            var layers = new List<nn.Module<Tensor, Tensor>>();
            long inChannels = 3;
            for (int i = 0; i < channels.Count; i++)
            {
                var conv = nn.Conv2d(inChannels, channels[i], 3, padding: 1, bias: false);
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                layers.Add(conv);
                layers.Add(nn.BatchNorm2d(channels[i]));
                layers.Add(nn.ReLU());
                if (i < channels.Count - 1)
                    layers.Add(nn.MaxPool2d(2, stride: 2));
                inChannels = channels[i];
            }
            features = nn.Sequential(layers);
            fc = nn.Linear(inChannels, dimension);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            nn.functional.normalize(fc.call(features.call(input).mean(new long[] { 2, 3 })), p: 2, dim: 1);
    }
}
