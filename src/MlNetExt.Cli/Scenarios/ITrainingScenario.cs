namespace MlNetExt.Cli.Scenarios;

/// <summary>A training scenario: a command that turns a data set into a run folder through the library's public API.</summary>
internal interface ITrainingScenario
{
    /// <summary>The command name ("count-regression", ...), also config.json's "scenario".</summary>
    string Name { get; }

    /// <summary>A sentence for the report's title line.</summary>
    string Title { get; }

    /// <summary>The settings type written to config.json.</summary>
    Type SettingsType { get; }

    /// <summary>Loads and checks the data, trains, evaluates on the held-out rows.</summary>
    TrainedRun Train(ScenarioContext context, TrainingSettings settings);

    /// <summary>Reads data to predict for (a file or folder in the run's input format) with the columns of the saved model's
    /// input schema; returns the data and a name for each row (row number or file).</summary>
    (Microsoft.ML.IDataView Data, IReadOnlyList<string> RowNames) ReadPredictionInput(Microsoft.ML.MLContext ml, TrainingSettings settings,
        Microsoft.ML.DataViewSchema modelInput, string input);

    /// <summary>The model's output columns (ModelOutput of the consumption project; what predict prints).</summary>
    IReadOnlyList<Consumption.ConsumeColumn> PredictionOutputs(TrainingSettings settings);

    /// <summary>Columns predict adds after the model's outputs (computed from files of the run folder); none by default.</summary>
    IReadOnlyList<Consumption.ConsumeColumn> PredictionExtras => [];

    /// <summary>Adds the <see cref="PredictionExtras"/> to each prediction (for example the identity found in the run's gallery).</summary>
    void Annotate(string runFolder, IReadOnlyList<Dictionary<string, object?>> predictions)
    {
    }

    /// <summary>Evaluates a trained model (model.zip of a run with these settings) on every row of new data.</summary>
    (Evaluation Evaluation, string DataSummaryHtml) Evaluate(ScenarioContext context, TrainingSettings settings, Microsoft.ML.ITransformer model, string data);
}
