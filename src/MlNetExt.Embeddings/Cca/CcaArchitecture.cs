using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Cca;

/// <summary>What rebuilds a CCA model (the <c>mlnetext.architecture</c> of <c>cca</c> graphs): the two views, each an
/// optional encoder followed by centring and a projection; the weights are the ONNX initializers named
/// <c>state_dict_prefix + state_dict name</c>.</summary>
/// <param name="Network">Always "cca".</param>
/// <param name="Components">Canonical pairs (the width of both output columns).</param>
/// <param name="ViewA">The first view.</param>
/// <param name="ViewB">The second view.</param>
internal sealed record CcaArchitecture(string Network, int Components, CcaViewArchitecture ViewA, CcaViewArchitecture ViewB)
{
    /// <summary>The <see cref="Network"/> value of CCA models.</summary>
    public const string NetworkName = "cca";

    /// <summary>The initializer prefix of view A's weights.</summary>
    public const string ViewAPrefix = "view_a.";

    /// <summary>The initializer prefix of view B's weights.</summary>
    public const string ViewBPrefix = "view_b.";
}

/// <summary>One view of a CCA model.</summary>
/// <param name="InputColumn">The view's column (the ONNX input name).</param>
/// <param name="OutputColumn">The canonical variates' column (the ONNX output name).</param>
/// <param name="InputWidth">Values per row of the view.</param>
/// <param name="Encoder">The deep CCA encoder; null for linear CCA.</param>
/// <param name="StateDictPrefix">The prefix of this view's initializer names ("view_a." or "view_b.").</param>
internal sealed record CcaViewArchitecture(string InputColumn, string OutputColumn, int InputWidth, CcaEncoderArchitecture? Encoder,
    string StateDictPrefix);

/// <summary>A deep CCA encoder.</summary>
/// <param name="Network">"mlp" (MlNetExt's default encoder, rebuilt from the fields below) or "custom" (an encoder factory of
/// the options; continuing training needs the same factory).</param>
/// <param name="OutputWidth">Width of the encoder's output.</param>
/// <param name="HiddenLayers">Hidden layer widths of an "mlp" encoder.</param>
/// <param name="Activation">Hidden activation of an "mlp" encoder.</param>
internal sealed record CcaEncoderArchitecture(string Network, int OutputWidth, int[]? HiddenLayers, ActivationKind? Activation)
{
    /// <summary>The <see cref="Network"/> value of the default MLP encoder.</summary>
    public const string Mlp = "mlp";

    /// <summary>The <see cref="Network"/> value of an encoder made by an encoder factory.</summary>
    public const string Custom = "custom";
}
