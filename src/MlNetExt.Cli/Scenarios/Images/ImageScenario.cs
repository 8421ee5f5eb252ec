using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Runs;
using MlNetExt.Core.Models;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>The images of a training run: the data set, its split and the rows of each part.</summary>
internal sealed record ImageTrainingData(ImageDataset Dataset, DataSplit Split, IReadOnlyList<ImageRow> Train, IReadOnlyList<ImageRow> Validation,
    IReadOnlyList<ImageRow> Test, string TestSource, ImageDataset? ValidationSet = null, ImageDataset? TestSet = null);

/// <summary>What a scenario's held-out evaluation gives besides the metrics: scenario files of the run folder (gallery.json).</summary>
internal sealed record ImageEvaluation(Evaluation Evaluation, IReadOnlyDictionary<string, string> Files);

/// <summary>
/// What the image scenarios share: load the images (unreadable ones listed or left out) and split them, train a pipeline
/// that reads the ImagePath column, evaluate the held-out images, and describe the run (the exported network, history,
/// split.csv, the consumption project reading an image path). A scenario supplies the hooks.
/// </summary>
internal abstract class ImageScenario<TSettings> : ITrainingScenario where TSettings : ImageSettings
{
    /// <summary>The input columns of the saved model: the image path and the label.</summary>
    public const string ImagePathColumn = "ImagePath", LabelColumn = "Label";

    public abstract string Name { get; }

    public abstract string Title { get; }

    public Type SettingsType => typeof(TSettings);

    /// <summary>Loads and splits the images (checks included).</summary>
    protected abstract ImageTrainingData Load(ScenarioContext context, TSettings settings);

    /// <summary>Fits the saved pipeline on the training rows; returns it and the MlNetExt model inside it.</summary>
    protected abstract (ITransformer Model, ITransformer Network) Fit(ScenarioContext context, TSettings settings, ImageTrainingData data, IDataView train);

    /// <summary>Evaluates the held-out images right after training.</summary>
    protected abstract ImageEvaluation EvaluateHeldOut(MLContext ml, ITransformer model, ImageTrainingData data, IDataView train);

    /// <summary>Evaluates every image of new data (<c>evaluate</c>): the evaluation and the report's data section.</summary>
    protected abstract (Evaluation Evaluation, string DataSummaryHtml) EvaluateAll(MLContext ml, TSettings settings, ITransformer model, ImageDataset dataset, string source);

    /// <summary>What model.onnx holds: the network's standalone export, or (<paramref name="standalone"/> false) the network of model.zip.</summary>
    protected abstract string OnnxDescription(bool standalone);

    /// <summary>The report's data section.</summary>
    protected abstract string Summary(ImageTrainingData data);

    /// <summary>The model's output columns (with the vector sizes known after training).</summary>
    protected abstract ConsumeColumn[] Outputs(TSettings settings, ImageTrainingData data);

    public TrainedRun Train(ScenarioContext context, TrainingSettings trainingSettings)
    {
        var settings = (TSettings)trainingSettings;
        var ml = context.ML;
        context.Display.SetPhase("loading images");
        var data = context.Timings.Measure("load data", () => Load(context, settings));

        context.Display.SetPhase("training");
        var train = View(ml, data.Train);
        ITransformer model, network;
        using (context.Timings.Measure("train"))
        {
            (model, network) = Fit(context, settings, data, train);
            context.TrainingFinished();
        }

        context.Display.SetPhase("evaluating");
        var evaluation = context.Timings.Measure("evaluate", () => EvaluateHeldOut(ml, model, data, train));
        var exported = Models.Find<OnnxModelTransformer>(network);
        var first = data.Dataset.Rows[0];
        return new TrainedRun
        {
            Model = model,
            InputSchema = train.Schema,
            Onnx = exported?.GetOnnxModel() ?? SavedOnnx.First(ml, model, train.Schema),
            OnnxDescription = OnnxDescription(exported is not null),
            History = exported is not null ? RunHistory.From(exported.History) : RunHistory.FromEpochs(context.ReportedEpochs, context.Interrupt.StoppedTraining),
            Evaluation = evaluation.Evaluation,
            SplitCsv = data.Split.ToCsv(i => (data.Dataset.Rows[i].Path, data.Dataset.Rows[i].Label)),
            DataSummaryHtml = Summary(data),
            AdditionalFiles = evaluation.Files,
            Consume = new ConsumeSpec(
                [new ConsumeColumn(ImagePathColumn, "string", 0), new ConsumeColumn(LabelColumn, "string", 1)],
                Outputs(settings, data),
                new Dictionary<string, string> { [ImagePathColumn] = first.Path, [LabelColumn] = first.Label },
                Images: true, $"the first image of {Path.GetFileName(settings.Data)}"),
        };
    }

    public (Evaluation Evaluation, string DataSummaryHtml) Evaluate(ScenarioContext context, TrainingSettings trainingSettings, ITransformer model, string data)
    {
        var settings = (TSettings)trainingSettings;
        var dataset = context.Timings.Measure("load data", () => ImageDataset.Load(settings, data, "--data", requireTwoPerClass: RequireTwoPerClassToEvaluate));
        return context.Timings.Measure("evaluate", () => EvaluateAll(context.ML, settings, model, dataset, Path.GetFileName(data)));
    }

    /// <summary>Whether new data must hold 2 images of each class to be evaluated (verification needs pairs).</summary>
    protected virtual bool RequireTwoPerClassToEvaluate => false;

    public (IDataView Data, IReadOnlyList<string> RowNames) ReadPredictionInput(MLContext ml, TrainingSettings settings, DataViewSchema modelInput, string input) =>
        ReadImages(ml, (ImageSettings)settings, input);

    public abstract IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings);

    public virtual IReadOnlyList<ConsumeColumn> PredictionExtras => [];

    public virtual void Annotate(string runFolder, IReadOnlyList<Dictionary<string, object?>> predictions)
    {
    }

    /// <summary>Loads a data set and warns about each unreadable image left out.</summary>
    protected static ImageDataset LoadImages(ScenarioContext context, TSettings settings, string path, string option, bool requireTwoPerClass)
    {
        var dataset = ImageDataset.Load(settings, path, option, requireTwoPerClass);
        foreach (var skipped in dataset.Skipped)
            context.Console.Warning($"left out unreadable image '{skipped}'");
        return dataset;
    }

    /// <summary>Images to predict for: one image, a folder (searched recursively) or a CSV/TSV of image paths; rows are named by
    /// their path relative to the folder.</summary>
    public static (IDataView Data, IReadOnlyList<string> RowNames) ReadImages(MLContext ml, ImageSettings settings, string input)
    {
        IReadOnlyList<string> paths;
        if (Directory.Exists(input))
            paths = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(ImageDataset.IsImage).Order(StringComparer.Ordinal).ToArray();
        else if (ImageDataset.IsImage(input))
            paths = [input];
        else
            paths = ImageDataset.Load(settings with { SkipUnreadable = false }, input, "--input", false).Rows.Select(r => r.Path).ToArray();
        if (paths.Count == 0)
            throw new UserInputException($"--input '{input}' holds no images ({string.Join(" ", ImageDataset.Extensions)}).");
        string root = Directory.Exists(input) ? input : Path.GetDirectoryName(input)!;
        return (View(ml, paths.Select(p => new ImageRow(Path.GetFullPath(p), "")).ToArray()), paths.Select(p => Path.GetRelativePath(root, p)).ToArray());
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    /// <summary>Image rows as the saved model reads them (ImagePath, Label).</summary>
    public static IDataView View(MLContext ml, IEnumerable<ImageRow> rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new PathRow { ImagePath = r.Path, Label = r.Label }).ToArray());
}
