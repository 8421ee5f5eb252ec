using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Counts;

/// <summary>What rebuilds a <see cref="CountNetwork"/> (the <c>mlnetext.architecture</c> of count models); the weights,
/// including the feature standardisation, are the ONNX initializers named by state_dict name.</summary>
/// <param name="Network">Always "count_mlp": standardisation buffers then an MLP giving the log-rate.</param>
/// <param name="Features">Values per row of the feature column.</param>
/// <param name="Outputs">Outputs (label slots).</param>
/// <param name="HiddenLayers">Hidden layer sizes (empty: log-linear).</param>
/// <param name="Activation">The activation after each hidden layer.</param>
/// <param name="Dropout">Dropout after each hidden activation (0: no dropout layers).</param>
/// <param name="StateDictPrefix">The prefix of the initializer names ("" for count models).</param>
internal sealed record CountArchitecture(string Network, int Features, int Outputs, int[] HiddenLayers, ActivationKind Activation,
    float Dropout, string StateDictPrefix)
{
    /// <summary>The <see cref="Network"/> value of count models.</summary>
    public const string NetworkName = "count_mlp";
}
