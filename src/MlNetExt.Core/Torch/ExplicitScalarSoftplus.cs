using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Torch;

/// <summary>
/// softplus(x) = ln(1 + eˣ) as a module, computed by <see cref="ExplicitScalarMath.Softplus"/>: TorchSharp's
/// <c>nn.Softplus</c> passes beta and threshold as implicit Scalars that the garbage collector may free during the call.
/// Exports to the ONNX <c>Softplus</c> operator.
/// </summary>
public sealed class ExplicitScalarSoftplus : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Creates the module.</summary>
    public ExplicitScalarSoftplus() : base("Softplus")
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.Softplus();

    /// <inheritdoc />
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.AddNode("Softplus", [input]);
    }
}
