if (args.Length > 0 && args[0] == "classifier") { MlNetExt.Benchmarks.ImageClassifierBenchmark.Run(args[1..]); return; }
if (args.Length > 0 && args[0] == "augment") { MlNetExt.Benchmarks.AugmentationBenchmark.Run(args[1..]); return; }
Console.WriteLine("benchmarks: not yet implemented.");
