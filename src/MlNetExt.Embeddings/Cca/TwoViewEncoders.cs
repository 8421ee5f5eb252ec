using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>The two trainable encoders of deep CCA, registered under one module so one optimizer trains both.</summary>
internal sealed class TwoViewEncoders : nn.Module
{
    public TwoViewEncoders(nn.Module<Tensor, Tensor> viewA, nn.Module<Tensor, Tensor> viewB) : base(nameof(TwoViewEncoders))
    {
        view_a = viewA;
        view_b = viewB;
        RegisterComponents();
    }

#pragma warning disable IDE1006 // torch-style field names become state_dict names
    private readonly nn.Module<Tensor, Tensor> view_a;
    private readonly nn.Module<Tensor, Tensor> view_b;
#pragma warning restore IDE1006

    public nn.Module<Tensor, Tensor> ViewA => view_a;

    public nn.Module<Tensor, Tensor> ViewB => view_b;
}
