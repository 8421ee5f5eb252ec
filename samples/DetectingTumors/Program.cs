// Detecting a rare finding from few labelled images, with transfer learning.
//
// Stand-in data: medical images cannot ship with this repository, so the Fashion-MNIST subset plays the part.
// "Tumour" (the rare positive class) = Shirt; "healthy" = T-shirt/top, Pullover, Dress, Coat: visually close classes,
// which makes the task hard enough to show the differences. 25 positives and 150 negatives are labelled for
// training; the held-out set has 100 positives and 400 negatives. Pretraining sources: the shipped ImageNet
// MobileNetV2 (blocks 0..10) and a small CNN that this program first pretrains on the *other* Fashion-MNIST classes
// (Trouser, Sandal, Sneaker, Bag, Ankle boot), which play the part of a related, plentiful data set.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Classification;
using MlNetExt.Samples.DetectingTumors;

const int Positive = 6;
int[] negatives = [0, 2, 3, 4];
int[] pretrainClasses = [1, 5, 7, 8, 9];
const int ImageSize = 32;
const int LargeImageSize = 64;
string outputDirectory = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "output");
Directory.CreateDirectory(outputDirectory);
// Seed of the compared trainings (head initialisation, batch order, augmentation); the data and the pretraining stay fixed.
int seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;

var ml = new MLContext(seed: 1);
var trainSet = FashionMnistSubset.LoadTrain();
var testSet = FashionMnistSubset.LoadTest();
IDataView train = ScanData.Binary(ml, trainSet, Positive, positives: 25, negatives, negativesPerClass: 38);
IDataView test = ScanData.Binary(ml, testSet, Positive, positives: 100, negatives, negativesPerClass: 100);

// Pretrain a small CNN on the other classes, export it, and reuse its feature extractor in one call: architecture,
// options and pixel scaling come from the exported model's metadata, the head is dropped.
var clock = Stopwatch.StartNew();
var pretrainData = ScanData.Multiclass(ml, trainSet, pretrainClasses, perClass: 150);
var pretrained = ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
{
    FeatureColumnName = "Pixels", Backbone = ImageBackbone.FromScratch("small_cnn"), Strategy = TransferStrategy.FineTune,
    Epochs = 6, ImageSize = ImageSize, BatchSize = 32, Seed = 1,
}).Fit(pretrainData);
string smallCnnModel = Path.Combine(outputDirectory, "small_cnn_pretrained.onnx");
pretrained.ExportToOnnx(smallCnnModel);
Console.WriteLine($"Pretrained small CNN on {pretrainClasses.Length} other classes in {clock.Elapsed.TotalSeconds:F0} s; " +
                  ImageBackbone.FromClassifier(smallCnnModel).Description + ".");

ImageBackbone SmallCnnPretrained() => ImageBackbone.FromClassifier(smallCnnModel);

// Epochs and learning rate: null = the classifier's defaults (training length from the data size: for the 177 images here
// 20 epochs staged, 25 fine-tuned, 84 frozen; head-only epochs at 3e-3, fine-tuning at 1e-3 with the pretrained backbone
// at 0.3x). The small CNN rows keep the settings tuned for them: 15 or 20-40 epochs at 3e-3 (head included:
// HeadLearningRateMultiplier = 1).
var runs = new (string Name, Func<ImageBackbone> Backbone, TransferStrategy Strategy, int? Epochs, bool Augment, int Size, ClassBalancing Balancing)[]
{
    ("small CNN from scratch", () => ImageBackbone.FromScratch("small_cnn"), TransferStrategy.FineTune, 15, false, ImageSize, ClassBalancing.LossWeights),
    ("small CNN from scratch", () => ImageBackbone.FromScratch("small_cnn"), TransferStrategy.FineTune, 15, false, LargeImageSize, ClassBalancing.LossWeights),
    ("small CNN from scratch + aug", () => ImageBackbone.FromScratch("small_cnn"), TransferStrategy.FineTune, 15, true, ImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, frozen", () => ImageBackbone.Default, TransferStrategy.Frozen, null, false, LargeImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, fine-tune", () => ImageBackbone.Default, TransferStrategy.FineTune, null, false, LargeImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, staged", () => ImageBackbone.Default, TransferStrategy.Staged, null, false, ImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, staged", () => ImageBackbone.Default, TransferStrategy.Staged, null, false, LargeImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, staged + aug", () => ImageBackbone.Default, TransferStrategy.Staged, null, true, LargeImageSize, ClassBalancing.LossWeights),
    ("MobileNetV2 ImageNet, frozen, resampled", () => ImageBackbone.Default, TransferStrategy.Frozen, null, false, LargeImageSize, ClassBalancing.Resampling),
    ("MobileNetV2 ImageNet, staged, resampled", () => ImageBackbone.Default, TransferStrategy.Staged, null, false, LargeImageSize, ClassBalancing.Resampling),
    ("small CNN other classes, frozen", SmallCnnPretrained, TransferStrategy.Frozen, 40, false, ImageSize, ClassBalancing.LossWeights),
    ("small CNN other classes, staged", SmallCnnPretrained, TransferStrategy.Staged, 20, false, ImageSize, ClassBalancing.LossWeights),
    ("small CNN other classes, staged + aug", SmallCnnPretrained, TransferStrategy.Staged, 20, true, ImageSize, ClassBalancing.LossWeights),
};

var results = new List<RunResult>();
Console.WriteLine();
Console.WriteLine($"{"configuration",-40} {"px",3} {"accuracy",9} {"bal.acc",8} {"AUC",7} {"recall",7} {"precision",9} {"seconds",8}");
foreach (var run in runs)
{
    clock.Restart();
    var options = new ImageClassifierOptions
    {
        LabelColumnName = "Tumour", FeatureColumnName = "Pixels", Backbone = run.Backbone(), Strategy = run.Strategy,
        ImageSize = run.Size, ClassBalancing = run.Balancing, Seed = seed,
        Augmentation = run.Augment ? AugmentationPolicy.Default : AugmentationPolicy.None,
    };
    if (run.Epochs is int epochs)
    {
        options.Epochs = epochs;
        options.LearningRate = 3e-3f;
        options.HeadLearningRateMultiplier = 1f;   // 3e-3 was tuned for the head itself
    }
    var model = ml.DeepLearning().BinaryClassification.Trainers.ImageClassifier(options).Fit(train);
    var scored = model.Model.Transform(test);
    var metrics = ml.BinaryClassification.Evaluate(scored, "Tumour");
    var s = HeldOutScores.Compute(ml, scored, "Tumour");
    var result = new RunResult($"{run.Name} ({run.Size} px)", metrics, model.History, clock.Elapsed);
    results.Add(result);
    Console.WriteLine($"{run.Name,-40} {run.Size,3} {s.Accuracy,9:F3} {s.BalancedAccuracy,8:F3} {s.Auc,7:F3} {s.Recall,7:F3} {s.Precision,9:F3} {clock.Elapsed.TotalSeconds,8:F0}");
}

var best = results.MaxBy(r => r.Metrics.AreaUnderRocCurve)!;
Charts.ConfusionMatrix(best, Path.Combine(outputDirectory, "confusion_matrix.png"));
Charts.TrainingCurves(results, Path.Combine(outputDirectory, "training_curves.png"));
Console.WriteLine();
Console.WriteLine($"Best AUC: {best.Name}. Charts written to {outputDirectory}.");
