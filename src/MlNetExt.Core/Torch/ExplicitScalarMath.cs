using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Torch;

/// <summary>
/// Tensor arithmetic with .NET numbers that is safe under garbage-collection pressure. TorchSharp 0.107 turns a number
/// passed to <c>add</c>, <c>mul</c>, <c>clamp</c>, <c>pow</c>, <c>fill_</c>, ... (and the default <c>alpha = 1</c> of
/// <c>a + b</c>, and the <c>2</c> of <c>square()</c>) into an implicit <see cref="Scalar"/> that nothing keeps alive during
/// the native call: the garbage collector may finalize it, freeing the native value while libtorch still reads it, and the
/// process aborts (<c>Expected false to be true ... Scalar.h</c>). Every method here creates its Scalars explicitly and
/// disposes them after the native call has returned. See <c>docs/torchsharp-rules.md</c>.
/// </summary>
/// <remarks>Tensor-tensor <c>sub</c>, <c>mul</c> and <c>div</c> take no Scalar and are safe as they are; tensor-tensor
/// <c>add</c> (and the <c>+</c> operator) is not, use <see cref="Plus(Tensor, Tensor)"/>.</remarks>
public static class ExplicitScalarMath
{
    /// <summary><c>x + y</c> (TorchSharp's <c>add</c> and <c>+</c> pass an implicit alpha of 1).</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="y">The tensor added (broadcast).</param>
    public static Tensor Plus(this Tensor x, Tensor y)
    {
        using var one = 1.ToScalar();
        return x.add(y, one);
    }

    /// <summary>In-place <c>x += y</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="y">The tensor added (broadcast).</param>
    public static Tensor PlusInPlace(this Tensor x, Tensor y)
    {
        using var one = 1.ToScalar();
        return x.add_(y, one);
    }

    /// <summary><c>x + alpha * y</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="y">The tensor scaled and added (broadcast).</param>
    /// <param name="alpha">The scale of <paramref name="y"/>.</param>
    public static Tensor PlusScaled(this Tensor x, Tensor y, double alpha)
    {
        using var scale = alpha.ToScalar();
        return x.add(y, scale);
    }

    /// <summary>In-place <c>x += alpha * y</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="y">The tensor scaled and added (broadcast).</param>
    /// <param name="alpha">The scale of <paramref name="y"/>.</param>
    public static Tensor PlusScaledInPlace(this Tensor x, Tensor y, double alpha)
    {
        using var scale = alpha.ToScalar();
        return x.add_(y, scale);
    }

    /// <summary><c>x + value</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="value">The number added.</param>
    public static Tensor Plus(this Tensor x, double value)
    {
        using var number = value.ToScalar();
        using var one = 1.ToScalar();
        return x.add(number, one);
    }

    /// <summary>In-place <c>x += value</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="value">The number added.</param>
    public static Tensor PlusInPlace(this Tensor x, double value)
    {
        using var number = value.ToScalar();
        using var one = 1.ToScalar();
        return x.add_(number, one);
    }

    /// <summary><c>x - value</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="value">The number subtracted.</param>
    public static Tensor Minus(this Tensor x, double value) => WithScalar(value, x.sub);

    /// <summary>In-place <c>x -= value</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="value">The number subtracted.</param>
    public static Tensor MinusInPlace(this Tensor x, double value) => WithScalar(value, x.sub_);

    /// <summary><c>x * value</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="value">The factor.</param>
    public static Tensor Times(this Tensor x, double value) => WithScalar(value, x.mul);

    /// <summary>In-place <c>x *= value</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="value">The factor.</param>
    public static Tensor TimesInPlace(this Tensor x, double value) => WithScalar(value, x.mul_);

    /// <summary><c>x / value</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="value">The divisor.</param>
    public static Tensor DividedBy(this Tensor x, double value) => WithScalar(value, s => x.div(s));

    /// <summary>In-place <c>x /= value</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="value">The divisor.</param>
    public static Tensor DividedByInPlace(this Tensor x, double value) => WithScalar(value, s => x.div_(s));

    /// <summary><c>x ^ exponent</c>, elementwise.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="exponent">The exponent.</param>
    public static Tensor Power(this Tensor x, double exponent) => WithScalar(exponent, x.pow);

    /// <summary><c>x * x</c> (TorchSharp's <c>square()</c> is <c>pow(2)</c> with an implicit Scalar); same value and gradient.</summary>
    /// <param name="x">The tensor.</param>
    public static Tensor Squared(this Tensor x) => x.mul(x);

    /// <summary><c>max(x, min)</c>, elementwise (<c>clamp_min</c>).</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="min">The lower bound.</param>
    public static Tensor AtLeast(this Tensor x, double min) => WithScalar(min, x.clamp_min);

    /// <summary>In-place <c>max(x, min)</c> (<c>clamp_min_</c>); returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="min">The lower bound.</param>
    public static Tensor AtLeastInPlace(this Tensor x, double min) => WithScalar(min, x.clamp_min_);

    /// <summary><c>min(max(x, min), max)</c>, elementwise (<c>clamp</c>).</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    public static Tensor ClampedTo(this Tensor x, double min, double max) => WithScalars(min, max, x.clamp);

    /// <summary>In-place <c>clamp_</c>; returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    public static Tensor ClampedToInPlace(this Tensor x, double min, double max) => WithScalars(min, max, x.clamp_);

    /// <summary>Sets every element to <paramref name="value"/> (<c>fill_</c>); returns <paramref name="x"/>.</summary>
    /// <param name="x">The tensor changed.</param>
    /// <param name="value">The value.</param>
    public static Tensor FillInPlace(this Tensor x, double value) => WithScalar(value, x.fill_);

    /// <summary>Boolean <c>x &gt; value</c>, elementwise.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="value">The threshold.</param>
    public static Tensor GreaterThan(this Tensor x, double value) => WithScalar(value, x.gt);

    /// <summary>
    /// softplus(x) = ln(1 + eˣ), computed as <c>logaddexp(x, 0)</c>: TorchSharp's <c>softplus</c> (function and module)
    /// passes its beta and threshold as implicit Scalars. Same value (within float rounding) and gradient (sigmoid(x)).
    /// </summary>
    /// <param name="x">The tensor.</param>
    public static Tensor Softplus(this Tensor x)
    {
        using var zero = zeros_like(x);
        return logaddexp(x, zero);
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="value"/> as a Scalar that lives until it returns.</summary>
    private static Tensor WithScalar(double value, Func<Scalar, Tensor> operation)
    {
        using var scalar = value.ToScalar();
        return operation(scalar);
    }

    /// <summary>Calls <paramref name="operation"/> with two Scalars that live until it returns.</summary>
    private static Tensor WithScalars(double first, double second, Func<Scalar, Scalar, Tensor> operation)
    {
        using var a = first.ToScalar();
        using var b = second.ToScalar();
        return operation(a, b);
    }
}
