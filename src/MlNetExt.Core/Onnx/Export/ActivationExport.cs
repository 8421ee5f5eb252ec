using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>Activations that need more than one ONNX node or a translation of their settings.</summary>
internal static class ActivationExport
{
    /// <summary>ReLU6 = Clip(x, 0, 6).</summary>
    public static string EmitRelu6(ExportSite site, string input)
        => site.Graph.AddNode("Clip", [input, site.Scalar("relu6_min", 0f), site.Scalar("relu6_max", 6f)]);

    /// <summary>
    /// GELU. Opset 17 has no Gelu operator: exact GELU is 0.5 x (1 + erf(x / sqrt 2)); the tanh
    /// approximation is 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    /// </summary>
    public static string EmitGelu(ExportSite site, GELU gelu, string input)
    {
        var graph = site.Graph;
        string inner;
        if (gelu.approximate == GELU.Approximate.tanh)
        {
            string cube = graph.AddNode("Mul", [input, graph.AddNode("Mul", [input, input])]);
            string poly = graph.AddNode("Add", [input, graph.AddNode("Mul", [cube, site.Scalar("gelu_coefficient", 0.044715f)])]);
            string scaled = graph.AddNode("Mul", [poly, site.Scalar("gelu_sqrt_2_over_pi", (float)Math.Sqrt(2.0 / Math.PI))]);
            inner = graph.AddNode("Tanh", [scaled]);
        }
        else
        {
            string scaled = graph.AddNode("Div", [input, site.Scalar("gelu_sqrt2", (float)Math.Sqrt(2.0))]);
            inner = graph.AddNode("Erf", [scaled]);
        }
        string onePlus = graph.AddNode("Add", [inner, site.Scalar("gelu_one", 1f)]);
        string half = graph.AddNode("Mul", [input, site.Scalar("gelu_half", 0.5f)]);
        return graph.AddNode("Mul", [half, onePlus]);
    }

    /// <summary>Mish = x tanh(softplus(x)); ONNX Mish needs opset 18, so it is composed (softplus with PyTorch's threshold 20).</summary>
    public static string EmitMish(ExportSite site, string input)
    {
        var graph = site.Graph;
        string softplus = Softplus(site, input, beta: 1.0, threshold: 20.0);
        return graph.AddNode("Mul", [input, graph.AddNode("Tanh", [softplus])]);
    }

    /// <summary>
    /// Softplus as TorchSharp computes it: log(1 + exp(beta x)) / beta, and x itself where beta x &gt; threshold.
    /// ONNX Softplus has neither beta nor threshold, so beta scales around it and Where applies the threshold.
    /// </summary>
    public static string EmitSoftplus(ExportSite site, Softplus softplus, string input)
    {
        if (!(softplus.beta > 0))
            throw site.Unsupported(softplus, $"beta must be positive, found {softplus.beta}");
        return Softplus(site, input, softplus.beta, softplus.threshold);
    }

    private static string Softplus(ExportSite site, string input, double beta, double threshold)
    {
        var graph = site.Graph;
        string scaled = input;
        string smooth;
        if (beta == 1.0)
        {
            smooth = graph.AddNode("Softplus", [input]);
        }
        else
        {
            string betaValue = site.Scalar("softplus_beta", (float)beta);
            scaled = graph.AddNode("Mul", [input, betaValue]);
            smooth = graph.AddNode("Div", [graph.AddNode("Softplus", [scaled]), betaValue]);
        }
        string above = graph.AddNode("Greater", [scaled, site.Scalar("softplus_threshold", (float)threshold)]);
        return graph.AddNode("Where", [above, input, smooth]);
    }
}
