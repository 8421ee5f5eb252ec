// Embedding faces: photos of the same person close together, different people far apart, learned with a triplet loss.
//
// No identity-labelled face set is available offline, so identities are built from a real image set (the
// Fashion-MNIST subset in data/fashion-mnist-subset): each image is one identity and its "photos" are random views of
// it (rotation for pose, scale, shift, brightness/contrast for lighting, noise; see PhotoViews). Two protocols:
//   1. Identities: train on identities made from training images (views drawn on the fly by the trainer's
//      augmentation), test on identities made from test images never used in training, each with a few fixed views.
//   2. Unseen classes: train on Fashion-MNIST classes 0-5 (fixed up front), evaluate on the held-out classes 6-9.
// Each is compared with raw pixels and with the untrained network (same architecture, Epochs = 0).
//
//   dotnet run --project samples/EmbeddingFaces -c Release [identityEpochs] [classEpochs (-1: skip)] [mining] [reduction]

using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using EmbeddingFaces;

int identityEpochs = args.Length > 0 ? int.Parse(args[0]) : 6;
int classEpochs = args.Length > 1 ? int.Parse(args[1]) : 10;
var mining = args.Length > 2 ? Enum.Parse<TripletMining>(args[2]) : TripletMining.All;
var reduction = args.Length > 3 ? Enum.Parse<TripletReduction>(args[3]) : TripletReduction.NonZero;
const int TrainIdentitiesPerClass = 150; // 1,500 training identities
const int CopiesPerTrainIdentity = 4;    // K: the trainer draws a fresh random view of each copy every epoch
const int ViewsPerTestIdentity = 4;
const int FixedViewSeed = 20261123;
int[] trainClasses = [0, 1, 2, 3, 4, 5];
int[] heldOutClasses = [6, 7, 8, 9];

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
var train = FashionMnistSubset.LoadTrain();
var test = FashionMnistSubset.LoadTest();
string outputDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "output"));
Directory.CreateDirectory(outputDir);

// ---------------------------------------------------------------- protocol 1: identities
var trainIdentities = train.TakePerClass(TrainIdentitiesPerClass);
var identityTrainRows = new List<PixelRow>();
for (int i = 0; i < trainIdentities.Count; i++)
    for (int c = 0; c < CopiesPerTrainIdentity; c++)
        identityTrainRows.Add(PixelRow.From(trainIdentities.Images[i], $"train-{i}"));
var testViews = PhotoViews.FixedViews(test.Images, ViewsPerTestIdentity, FixedViewSeed);
var identityTestRows = new List<PixelRow>();
for (int i = 0; i < test.Count; i++)
    for (int v = 0; v < ViewsPerTestIdentity; v++)
        identityTestRows.Add(PixelRow.From(testViews[i][v], $"test-{i}"));
var identityTrain = PixelRow.ToDataView(ml, identityTrainRows);
var identityTest = PixelRow.ToDataView(ml, identityTestRows);

Console.WriteLine("Protocol 1, identities (a real image set standing in for faces: each Fashion-MNIST image is one identity,");
Console.WriteLine($"its photos are random views: {PhotoViews.Policy})");
Console.WriteLine($"  training: {trainIdentities.Count} identities from the training images, {CopiesPerTrainIdentity} copies each, a fresh random view of every copy each epoch");
Console.WriteLine($"  test: {test.Count} identities from the test images (never used in training), {ViewsPerTestIdentity} fixed views each (seed {FixedViewSeed})");

var identityResults = new List<Result>();
identityResults.Add(Evaluate(ml, "raw pixels", ml.Transforms.CopyColumns("Embedding", "Pixels").Fit(identityTest).Transform(identityTest), nmi: false));
identityResults.Add(Evaluate(ml, "raw pixels, L2-normalised", ml.Transforms.NormalizeLpNorm("Embedding", "Pixels").Fit(identityTest).Transform(identityTest), nmi: false));
var untrainedIdentity = ml.Transforms.TripletEmbedding(NetworkOptions(epochs: 0)).Fit(identityTrain);
identityResults.Add(Evaluate(ml, "untrained network", untrainedIdentity.Transform(identityTest), nmi: false));
Console.WriteLine($"  training the triplet embedding ({identityEpochs} epochs) ...");
var trainedIdentity = ml.Transforms.TripletEmbedding(NetworkOptions(identityEpochs)).Fit(identityTrain);
identityResults.Add(Evaluate(ml, "triplet-trained network", trainedIdentity.Transform(identityTest), nmi: false));
Console.WriteLine($"Held-out identities ({test.Count} identities x {ViewsPerTestIdentity} fixed views = {identityTestRows.Count} photos):");
PrintTable(identityResults, nmi: false);

var identityShown = Enumerable.Range(0, 12).Select(i => $"test-{i}").ToArray();
Plots.Pca(Path.Combine(outputDir, "identities-pca-trained.png"), "Held-out identities, triplet-trained embedding (12 identities x 4 views)",
    identityResults[^1].Embeddings, identityResults[^1].Labels, identityShown);
Plots.Pca(Path.Combine(outputDir, "identities-pca-raw-pixels.png"), "Held-out identities, raw pixels (12 identities x 4 views)",
    identityResults[1].Embeddings, identityResults[1].Labels, identityShown);
Plots.Roc(Path.Combine(outputDir, "identities-roc.png"), "Verification on held-out identities",
    identityResults.Select(r => (r.Name, r.Roc, r.Metrics.AreaUnderRocCurve)).ToArray());
Console.WriteLine($"  ({clock.Elapsed.TotalSeconds:F0} s so far)");
Console.WriteLine();
if (classEpochs < 0) return;

// ---------------------------------------------------------------- protocol 2: unseen classes
var classTrainRows = Enumerable.Range(0, train.Count).Where(i => trainClasses.Contains(train.Labels[i]))
    .Select(i => PixelRow.From(train.Images[i], FashionMnistSubset.ClassNames[train.Labels[i]])).ToList();
List<PixelRow> TestRows(int[] classes) => Enumerable.Range(0, test.Count).Where(i => classes.Contains(test.Labels[i]))
    .Select(i => PixelRow.From(test.Images[i], FashionMnistSubset.ClassNames[test.Labels[i]])).ToList();
var classTrain = PixelRow.ToDataView(ml, classTrainRows);
var unseenTest = PixelRow.ToDataView(ml, TestRows(heldOutClasses));
var seenTest = PixelRow.ToDataView(ml, TestRows(trainClasses));
Console.WriteLine($"Protocol 2, unseen classes: train on classes {string.Join(", ", trainClasses.Select(c => FashionMnistSubset.ClassNames[c]))}");
Console.WriteLine($"  ({classTrainRows.Count} training images, class labels, same network and on-the-fly views); evaluate on the test images of the");
Console.WriteLine($"  held-out classes {string.Join(", ", heldOutClasses.Select(c => FashionMnistSubset.ClassNames[c]))} (split fixed before any run).");
var untrainedClasses = ml.Transforms.TripletEmbedding(NetworkOptions(epochs: 0)).Fit(classTrain);
Console.WriteLine($"  training the triplet embedding ({classEpochs} epochs) ...");
var trainedClasses = ml.Transforms.TripletEmbedding(NetworkOptions(classEpochs)).Fit(classTrain);
var representations = new (string Name, Func<IDataView, IDataView> Embed)[]
{
    ("raw pixels", d => ml.Transforms.CopyColumns("Embedding", "Pixels").Fit(d).Transform(d)),
    ("raw pixels, L2-normalised", d => ml.Transforms.NormalizeLpNorm("Embedding", "Pixels").Fit(d).Transform(d)),
    ("untrained network", untrainedClasses.Transform),
    ("triplet-trained network", trainedClasses.Transform),
};
var unseenResults = representations.Select(r => Evaluate(ml, r.Name, r.Embed(unseenTest), nmi: true)).ToList();
var seenResults = representations.Select(r => Evaluate(ml, r.Name, r.Embed(seenTest), nmi: true)).ToList();
Console.WriteLine($"Held-out classes 6-9 (unseen in training; {unseenResults[0].Metrics.RowCount} test images):");
PrintTable(unseenResults, nmi: true);
Console.WriteLine($"For reference, classes 0-5 (seen in training; their {seenResults[0].Metrics.RowCount} test images, not used in training):");
PrintTable(seenResults, nmi: true);
Plots.Pca(Path.Combine(outputDir, "unseen-classes-pca-trained.png"), "Unseen classes 6-9, triplet-trained embedding",
    unseenResults[^1].Embeddings, unseenResults[^1].Labels, heldOutClasses.Select(c => FashionMnistSubset.ClassNames[c]).ToArray());
Plots.Roc(Path.Combine(outputDir, "unseen-classes-roc.png"), "Verification on unseen classes 6-9 (same class?)",
    unseenResults.Select(r => (r.Name, r.Roc, r.Metrics.AreaUnderRocCurve)).ToArray());
Console.WriteLine();
Console.WriteLine($"Figures in {outputDir}: identities-pca-trained.png, identities-pca-raw-pixels.png, identities-roc.png,");
Console.WriteLine("  unseen-classes-pca-trained.png, unseen-classes-roc.png");
Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:F0} s.");

TripletEmbeddingOptions NetworkOptions(int epochs) => new()
{
    FeatureColumnName = "Pixels", OutputColumnName = "Embedding", LabelColumnName = "Label",
    Backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = new[] { 16, 32, 64, 64 } }),
    BackboneLearningRateMultiplier = 1f, ImageSize = 28, EmbeddingDimension = 64,
    Augmentation = PhotoViews.Policy, Epochs = epochs, LearningRate = 1e-3f,
    ClassesPerBatch = 32, ExamplesPerClass = CopiesPerTrainIdentity, Margin = 0.2f, Mining = mining, Reduction = reduction, Seed = 1,
    Progress = p => Console.WriteLine(
        $"    epoch {p.Epoch}: loss {p.TrainLoss:F4}, active triplets {p.Metrics["ActiveTripletFraction"]:P0}, mean pairwise distance {p.Metrics["MeanPairwiseDistance"]:F3}"),
};

static Result Evaluate(MLContext ml, string name, IDataView scored, bool nmi)
{
    var metrics = ml.EvaluateEmbeddings(scored, "Embedding", "Label", new EmbeddingEvaluationOptions { ComputeClusteringNmi = nmi, Seed = 1 });
    var embeddings = scored.GetColumn<VBuffer<float>>("Embedding").Select(v => v.DenseValues().ToArray()).ToArray();
    var labels = scored.GetColumn<string>("Label").ToArray();
    return new Result(name, metrics, RocCurve.FromEmbeddings(embeddings, labels), embeddings, labels);
}

static void PrintTable(IReadOnlyList<Result> results, bool nmi)
{
    Console.WriteLine($"  {"representation",-26} {"R@1",6} {"R@5",6} {"MAP@R",6} {"AUC",6} {"EER",6} {"EER threshold",13}" + (nmi ? $" {"NMI",6}" : ""));
    foreach (var r in results)
    {
        var m = r.Metrics;
        Console.WriteLine($"  {r.Name,-26} {m.RecallAt1,6:F3} {m.RecallAt5,6:F3} {m.MeanAveragePrecisionAtR,6:F3} {m.AreaUnderRocCurve,6:F3} {m.EqualErrorRate,6:F3} {m.EqualErrorRateThreshold,13:G4}" +
            (nmi ? $" {m.ClusteringNmi,6:F3}" : ""));
    }
}

sealed record Result(string Name, EmbeddingMetrics Metrics, RocCurve Roc, float[][] Embeddings, string[] Labels);
