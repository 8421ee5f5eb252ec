// Benchmarks, one mode per area: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- <mode> [options]
var modes = new Dictionary<string, (string Description, Func<string[], int> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["counts"] = ("spike binning, neural Poisson training and ONNX scoring throughput", MlNetExt.Benchmarks.CountRegressionBenchmark.Run),
    ["classifier"] = ("image classifier training (per strategy) and ONNX scoring throughput", a => { MlNetExt.Benchmarks.ImageClassifierBenchmark.Run(a); return 0; }),
    ["trainstep"] = ("bare TorchSharp train step of a backbone + linear head (img/s)", a => { MlNetExt.Benchmarks.TrainStepBenchmark.Run(a); return 0; }),
    ["triplet"] = ("triplet embedding on the identities protocol (issue 19): recall@1, MAP@R, AUC, training time", MlNetExt.Benchmarks.TripletIdentitiesBenchmark.Run),
    ["triplet-plain"] = ("the identities protocol trained by a plain TorchSharp loop (the reference computation without MlNetExt's training path)", MlNetExt.Benchmarks.TripletPlainLoopReference.Run),
    ["embedding-eval"] = ("embedding evaluation at identity scale: MlNetExt's k-means NMI vs ML.NET's KMeans + clustering evaluator", MlNetExt.Benchmarks.EmbeddingEvaluationBenchmark.Run),
    ["cca"] = ("linear CCA fit time on the image halves (392 + 392 values, 3,000 rows)", MlNetExt.Benchmarks.LinearCcaBenchmark.Run),
    ["classifier-sweep"] = ("image classifier defaults vs tuned settings on a 10-shot transfer task (held-out accuracy)", MlNetExt.Benchmarks.ClassifierDefaultsSweep.Run),
    ["hostile"] = ("peak memory and time of the weight and image readers on hostile files (one case per run)", MlNetExt.Benchmarks.HostileInputBenchmark.Run),
    ["scoring"] = ("in-pipeline scoring (row by row, batched) against a raw ONNX Runtime session: counts, ResNet-18, MobileNetV2", MlNetExt.Benchmarks.ScoringBenchmark.Run),
    ["augment"] = ("augmentation images/s on one thread, MLImage and batched tensor paths", a => { MlNetExt.Benchmarks.AugmentationBenchmark.Run(a); return 0; }),
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine("usage: MlNetExt.Benchmarks <mode> [options]; modes:");
    foreach (var (name, (description, _)) in modes) Console.Error.WriteLine($"  {name,-12} {description}");
    return args.Length == 0 ? 1 : 2;
}
return mode.Run(args[1..]);
