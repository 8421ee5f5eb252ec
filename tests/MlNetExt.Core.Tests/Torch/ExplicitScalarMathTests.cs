using MlNetExt.Core.Torch;
using MlNetExt.Tests.Shared;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Torch;

public class ExplicitScalarMathTests
{
    private static readonly float[] Values = [-3f, -0.5f, 0f, 0.25f, 2f, 30f];

    private static Tensor X() => tensor(Values);

    private static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.to_type(ScalarType.Float64).data<double>().ToArray(), actual.to_type(ScalarType.Float64).data<double>().ToArray());
    }

    [Fact]
    public void Every_operation_gives_what_TorchSharp_gives_with_an_implicit_Scalar()
    {
        using var scope = NewDisposeScope();
        var y = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f });
        Same(X() + y, X().Plus(y));
        Same(X().add_(y), X().PlusInPlace(y));
        Same(X().add(y, 0.5), X().PlusScaled(y, 0.5));
        Same(X().add_(y, -2), X().PlusScaledInPlace(y, -2));
        Same(X() + 1e-8f, X().Plus(1e-8f));
        Same(X().add_(3), X().PlusInPlace(3));
        Same(X() - 1.5, X().Minus(1.5));
        Same(X().sub_(1.5), X().MinusInPlace(1.5));
        Same(X() * 0.1f, X().Times(0.1f));
        Same(X().mul_(-2), X().TimesInPlace(-2));
        Same(X() / 255f, X().DividedBy(255));
        Same(X().div_(7), X().DividedByInPlace(7));
        Same(X().abs().pow(1.5), X().abs().Power(1.5));
        Same(X().square(), X().Squared());
        Same(X().clamp_min(0.1), X().AtLeast(0.1));
        Same(X().clamp_min_(0), X().AtLeastInPlace(0));
        Same(X().clamp(0, 6), X().ClampedTo(0, 6));
        Same(X().clamp_(-1, 1), X().ClampedToInPlace(-1, 1));
        Same(X().fill_(0.75), X().FillInPlace(0.75));
        Same(X().gt(0), X().GreaterThan(0));
    }

    [Fact]
    public void Softplus_matches_TorchSharp_in_value_and_gradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -30f, -3f, -0.5f, 0f, 0.25f, 2f, 19f, 25f }).requires_grad_();
        var expected = nn.functional.softplus(x);
        var actual = x.Softplus();
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 1e-6f, $"largest difference {difference}");
        var expectedGrad = torch.autograd.grad([expected.sum()], [x])[0];
        var actualGrad = torch.autograd.grad([actual.sum()], [x])[0];
        Assert.True((expectedGrad - actualGrad).abs().max().item<float>() < 1e-6f);
    }
}

[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class ExplicitScalarMathFinalizerTests
{
    [Fact]
    public void No_operation_leaves_a_Scalar_to_the_finalizer()
    {
        using var finalized = new FinalizedTorchObjects();
        finalized.SelfCheck();
        long before = finalized.Scalars;
        for (int i = 0; i < 50; i++)
        {
            using var scope = NewDisposeScope();
            var x = tensor(new[] { -3f, -0.5f, 0f, 0.25f, 2f, 30f });
            var y = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f });
            x.Plus(y).PlusInPlace(y).PlusScaled(y, 0.5).PlusScaledInPlace(y, 2).Plus(1).PlusInPlace(1).Minus(1).MinusInPlace(1)
                .Times(2).TimesInPlace(2).DividedBy(2).DividedByInPlace(2).abs().Power(1.5).Squared().AtLeast(0).AtLeastInPlace(0)
                .ClampedTo(0, 6).ClampedToInPlace(0, 6).Softplus().GreaterThan(0.5);
            x.FillInPlace(1);
        }
        finalized.Flush();
        Assert.Equal(0, finalized.Scalars - before);
    }
}
