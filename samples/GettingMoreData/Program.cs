// Getting more data: few labelled images per class, with and without augmentation.
//
// Trains a linear classifier (ML.NET's L-BFGS maximum entropy on raw pixels) on 20 Fashion-MNIST images
// per class, then on the same images plus augmented copies from mlContext.Data.AugmentImages, and reports
// held-out accuracy on 1,000 test images, averaged over several disjoint training subsets. Writes
// output/augmentation-grid.png: one row per preset, the original image then augmented versions.
//
//   dotnet run -c Release --project samples/GettingMoreData [imagesPerClass] [copiesPerImage] [runs]

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;

int perClass = args.Length > 0 ? int.Parse(args[0]) : 20;
int copies = args.Length > 1 ? int.Parse(args[1]) : 9;
int runs = args.Length > 2 ? int.Parse(args[2]) : 3;

var train = FashionMnistSubset.LoadTrain();
var test = FashionMnistSubset.LoadTest();
Console.WriteLine($"Fashion-MNIST subset: {train.Count} train / {test.Count} test images; training on {perClass} per class, {runs} disjoint subsets.");

string outputDir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "output");
Directory.CreateDirectory(outputDir);
string gridPath = Path.GetFullPath(Path.Combine(outputDir, "augmentation-grid.png"));
AugmentationGrid.Write(train, gridPath, new[]
{
    AugmentationPolicy.Light, AugmentationPolicy.Default, AugmentationPolicy.Strong, AugmentationPolicy.RandAugment(2, 9),
});
Console.WriteLine($"Wrote {gridPath} (rows: Light, Default, Strong, RandAugment(2, 9); first column: original)");

var settings = new (string Name, AugmentationPolicy? Policy)[]
{
    ("no augmentation", null),
    ("Light", AugmentationPolicy.Light),
    ("Default", AugmentationPolicy.Default),
    ("Default without cutout", AugmentationPolicy.Default.Without<MlNetExt.ImageAugmentation.Operations.Cutout>()),
    ("RandAugment(2, 5)", AugmentationPolicy.RandAugment(2, 5)),
};
var accuracies = settings.ToDictionary(s => s.Name, _ => new List<double>());
var ml = new MLContext(seed: 1);
var testData = test.ToDataView(ml);
for (int run = 0; run < runs; run++)
{
    var subset = Subset(train, perClass, offset: run * perClass);
    var trainData = subset.ToDataView(ml);
    foreach (var (name, policy) in settings)
    {
        IDataView data = policy is null
            ? trainData
            : ml.Data.AugmentImages(trainData, "Image", policy, copies, seed: 100 + run); // L-BFGS is full-batch: row order does not matter
        double accuracy = TrainAndEvaluate(ml, data, testData);
        accuracies[name].Add(accuracy);
        Console.WriteLine($"  run {run + 1}: {name,-24} accuracy {accuracy:P1}");
    }
}
Console.WriteLine();
Console.WriteLine($"Held-out accuracy (1,000 test images), {perClass} training images per class, {copies} augmented copies each, mean over {runs} runs:");
foreach (var (name, list) in accuracies)
    Console.WriteLine($"  {name,-24} {list.Average():P1}  (runs: {string.Join(", ", list.Select(a => a.ToString("P1")))})");
Console.WriteLine("(A linear model on raw pixels cannot learn shift or rotation invariance, so expect little or no gain here;");
Console.WriteLine(" convolutional networks trained with BatchAugmenter are where augmentation pays off.)");

static double TrainAndEvaluate(MLContext ml, IDataView train, IDataView test)
{
    var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
        .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
        .AppendCacheCheckpoint(ml)
        .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "Features", l2Regularization: 1f));
    var model = pipeline.Fit(train);
    return ml.MulticlassClassification.Evaluate(model.Transform(test), "LabelKey").MicroAccuracy;
}

// The perClass images of each class starting at the offset-th image of that class.
static FashionMnistSubset Subset(FashionMnistSubset all, int perClass, int offset) =>
    all.SkipPerClass(offset).TakePerClass(perClass);
