using Microsoft.ML;
using MlNetExt.Cli.Consumption;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Scenarios;

/// <summary>What a scenario hands back to the run: the fitted pipeline, its exported network, the held-out metrics, the
/// report sections it contributes and what the consumption project needs.</summary>
internal sealed class TrainedRun
{
    /// <summary>The whole fitted pipeline (preprocessing and the MlNetExt model): model.zip.</summary>
    public required ITransformer Model { get; init; }

    /// <summary>The schema of the data the pipeline reads (saved with the model).</summary>
    public required DataViewSchema InputSchema { get; init; }

    /// <summary>The exported network: model.onnx.</summary>
    public required byte[] Onnx { get; init; }

    /// <summary>Further exported networks by name (for example one per CCA view): model.&lt;name&gt;.onnx.</summary>
    public IReadOnlyDictionary<string, byte[]> AdditionalOnnx { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Scenario files of the run folder by name (for example gallery.json), written whole like the others.</summary>
    public IReadOnlyDictionary<string, string> AdditionalFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>What model.onnx holds, for the report and the console.</summary>
    public required string OnnxDescription { get; init; }

    public required Runs.RunHistory History { get; init; }

    /// <summary>The held-out evaluation (metrics.json and the report's scenario sections).</summary>
    public required Evaluation Evaluation { get; init; }

    /// <summary>split.csv.</summary>
    public required string SplitCsv { get; init; }

    /// <summary>The report's data section (HTML).</summary>
    public required string DataSummaryHtml { get; init; }

    public required ConsumeSpec Consume { get; init; }
}
