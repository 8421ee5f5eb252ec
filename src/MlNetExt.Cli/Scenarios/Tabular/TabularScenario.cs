using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Consumption;
using MlNetExt.Core.Models;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>
/// What the tabular scenarios share: load the CSV/TSV file and split it (<see cref="TabularData"/>), fit the saved feature
/// pipeline, train the scenario's network on its output, evaluate the held-out rows and describe the run. A scenario
/// supplies the hooks: how labels are checked, the trainer, the evaluation and the model's output columns.
/// </summary>
internal abstract class TabularScenario<TSettings, TNetwork> : ITrainingScenario
    where TSettings : TabularSettings
    where TNetwork : OnnxModelTransformer
{
    public abstract string Name { get; }

    public abstract string Title { get; }

    public Type SettingsType => typeof(TSettings);

    /// <summary>What the label values are, for messages ("count", "label").</summary>
    protected abstract string LabelRole { get; }

    /// <summary>A problem with one label value (for example a negative count), or null when it is valid.</summary>
    protected virtual string? CheckLabel(double value) => null;

    /// <summary>The exposure column, for scenarios that have one.</summary>
    protected virtual string? Exposure(TSettings settings) => null;

    /// <summary>Trains the network on the featurised training rows (the shared trainer options are set through
    /// <see cref="ScenarioContext.Configure"/>); <paramref name="validation"/> is null without validation rows.</summary>
    protected abstract TNetwork Fit(ScenarioContext context, TSettings settings, TabularData data, IDataView train, IDataView? validation);

    /// <summary>Scores <see cref="TabularData.Test"/> with the whole model and evaluates it with the library's evaluator;
    /// <paramref name="training"/> is true right after training (the training rows are at hand), false for <c>evaluate</c>.</summary>
    protected abstract Evaluation Evaluate(MLContext ml, ITransformer model, TNetwork? network, TabularData data, TSettings settings, bool training);

    /// <summary>The label line of the report's data section.</summary>
    protected virtual string LabelDescription(TSettings settings, TabularData data) => string.Join(", ", data.Labels);

    /// <summary>What model.onnx holds.</summary>
    protected abstract string OnnxDescription(TNetwork network);

    /// <summary>The model's output columns for a label of <paramref name="labelWidth"/> values.</summary>
    protected abstract ConsumeColumn[] Outputs(int labelWidth);

    public TrainedRun Train(ScenarioContext context, TrainingSettings trainingSettings)
    {
        var settings = (TSettings)trainingSettings;
        var ml = context.ML;
        context.Display.SetPhase("loading data");
        var data = context.Timings.Measure("load data", () => TabularData.Load(ml, settings, CheckLabel, LabelRole, Exposure(settings)));

        context.Display.SetPhase("training");
        TransformerChain<TNetwork> model;
        TNetwork network;
        using (context.Timings.Measure("train"))
        {
            var features = data.FeaturePipeline(ml).Fit(data.Train);
            network = Fit(context, settings, data, features.Transform(data.Train), data.HasValidation ? features.Transform(data.Validation) : null);
            model = new TransformerChain<ITransformer>(features is IEnumerable<ITransformer> parts ? [.. parts] : [features]).Append(network);
            context.TrainingFinished();
        }

        context.Display.SetPhase("evaluating");
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(ml, model, network, data, settings, training: true));
        var (inputs, first) = data.ConsumeInputs();
        return new TrainedRun
        {
            Model = model,
            InputSchema = data.Dataset.Data.Schema,
            Onnx = network.GetOnnxModel(),
            OnnxDescription = OnnxDescription(network),
            History = Runs.RunHistory.From(network.History),
            Evaluation = evaluation,
            SplitCsv = data.Split.ToCsv(),
            DataSummaryHtml = data.SummaryHtml(LabelDescription(settings, data)),
            Consume = new ConsumeSpec(inputs, Outputs(data.LabelWidth), first, Images: false, $"row 0 of {Path.GetFileName(settings.Data)}"),
        };
    }

    public (Evaluation Evaluation, string DataSummaryHtml) Evaluate(ScenarioContext context, TrainingSettings trainingSettings, ITransformer model, string dataPath)
    {
        var settings = (TSettings)((TabularSettings)trainingSettings with { Data = dataPath, TestData = null, ValidationData = null });
        var data = context.Timings.Measure("load data", () => TabularData.LoadAll(context.ML, settings, CheckLabel, LabelRole, Exposure(settings)));
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(context.ML, model, Models.Find<TNetwork>(model), data, settings, training: false));
        return (evaluation, data.SummaryHtml(LabelDescription(settings, data)));
    }

    public (IDataView Data, IReadOnlyList<string> RowNames) ReadPredictionInput(MLContext ml, TrainingSettings settings, DataViewSchema modelInput, string input) =>
        TabularPrediction.Read(ml, (TabularSettings)settings, modelInput, input);

    public IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings) => Outputs(((TabularSettings)settings).Labels.Length);
}
