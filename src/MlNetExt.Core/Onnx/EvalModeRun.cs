using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>Runs a module once for inspection: in eval mode, without gradients, on the device of its parameters, with its
/// training mode restored afterwards.</summary>
internal static class EvalModeRun
{
    /// <summary>Calls <paramref name="run"/> with the module's device inside a dispose scope; tensors made there are freed when
    /// it returns, so <paramref name="run"/> returns plain .NET values.</summary>
    public static T Run<T>(nn.Module module, Func<Device, T> run)
    {
        bool wasTraining = module.training;
        Device device = module.parameters().FirstOrDefault()?.device ?? CPU;
        try
        {
            module.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return run(device);
        }
        finally
        {
            module.train(wasTraining);
        }
    }
}
