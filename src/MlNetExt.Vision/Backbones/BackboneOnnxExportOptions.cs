namespace MlNetExt.Vision.Backbones;

/// <summary>Options of <see cref="BackboneOnnxExport"/>.</summary>
public sealed class BackboneOnnxExportOptions
{
    /// <summary>
    /// Fold every BatchNorm that directly follows a convolution into that convolution's weight and bias (fewer
    /// nodes, same results up to float rounding). Folded initializers are named <c>*.folded_weight</c> /
    /// <c>*.folded_bias</c>, so they are never mistaken for state-dict entries. Default false (BatchNormalization
    /// nodes with the state-dict names).
    /// </summary>
    public bool FoldBatchNorm { get; set; }

    /// <summary>Name of the graph input.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Name of the graph output.</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>Model metadata (metadata_props).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }
}
