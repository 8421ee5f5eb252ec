using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation;

/// <summary>
/// An immutable list of augmentation operations, each applied with its own probability at a magnitude drawn
/// from its own range. Either every operation is considered for every image, or (RandAugment style)
/// <see cref="OperationsPerImage"/> distinct operations are picked at random per image.
/// </summary>
/// <remarks>
/// The same policy drives the <c>MLImage</c> data operation (<c>mlContext.Data.AugmentImages</c>) and the
/// batched tensor path (<see cref="BatchAugmenter"/>); a seed fixes every random draw.
/// </remarks>
public sealed class AugmentationPolicy
{
    private readonly AugmentationOperation[] _operations;

    /// <summary>Creates a policy.</summary>
    /// <param name="operations">The operations, in the order their geometric parts are composed.</param>
    /// <param name="operationsPerImage">null: consider every operation for every image; n: pick n distinct
    /// operations at random per image (1 &lt;= n &lt;= number of operations).</param>
    /// <param name="name">A name for logs and reports.</param>
    public AugmentationPolicy(IEnumerable<AugmentationOperation> operations, int? operationsPerImage = null, string name = "Custom")
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations.ToArray();
        if (_operations.Any(o => o is null))
            throw new ArgumentException("The operation list contains null.", nameof(operations));
        if (_operations.Length > 64)
            throw new ArgumentOutOfRangeException(nameof(operations), _operations.Length, "A policy holds at most 64 operations.");
        if (operationsPerImage is int n && (n < 1 || n > _operations.Length))
            throw new ArgumentOutOfRangeException(nameof(operationsPerImage), n,
                $"{nameof(operationsPerImage)} must be in [1, {_operations.Length}] (the number of operations); got {n}.");
        OperationsPerImage = operationsPerImage;
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The operations.</summary>
    public IReadOnlyList<AugmentationOperation> Operations => _operations;

    /// <summary>null: every operation is considered per image; n: n random distinct operations per image.</summary>
    public int? OperationsPerImage { get; }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>No operation: images pass unchanged.</summary>
    public static AugmentationPolicy None { get; } = new(Array.Empty<AugmentationOperation>(), name: "None");

    /// <summary>Mild changes: horizontal flip, small shifts, +-10% brightness and contrast.</summary>
    public static AugmentationPolicy Light { get; } = new(new AugmentationOperation[]
    {
        new HorizontalFlip(0.5),
        new Shift(0.0625, 0.0625, 0.5),
        new Brightness(0.9, 1.1, 0.5),
        new Contrast(0.9, 1.1, 0.5),
    }, name: "Light");

    /// <summary>
    /// The usual image-classification recipe: horizontal flip, scale-and-crop (60-100% of the area),
    /// rotation up to 15 degrees, +-20% brightness, contrast and saturation, occasional small cutout.
    /// </summary>
    public static AugmentationPolicy Default { get; } = new(new AugmentationOperation[]
    {
        new HorizontalFlip(0.5),
        new ScaleCrop(0.6, 1.0, 3.0 / 4, 4.0 / 3, 0.5),
        new Rotate(-15, 15, 0.5),
        new Brightness(0.8, 1.2, 0.5),
        new Contrast(0.8, 1.2, 0.5),
        new Saturation(0.8, 1.2, 0.5),
        new Cutout(0.02, 0.12, 0.3, 3.3, 0, 0.25),
    }, name: "Default");

    /// <summary>
    /// Heavy changes for large networks or tiny data sets: every operation except vertical flip, at larger
    /// magnitudes and probabilities.
    /// </summary>
    public static AugmentationPolicy Strong { get; } = new(new AugmentationOperation[]
    {
        new HorizontalFlip(0.5),
        new ScaleCrop(0.35, 1.0, 3.0 / 4, 4.0 / 3, 0.7),
        new Rotate(-30, 30, 0.7),
        new Shear(-15, 15, 0.5),
        new Shift(0.15, 0.15, 0.5),
        new Brightness(0.6, 1.4, 0.7),
        new Contrast(0.6, 1.4, 0.7),
        new Saturation(0.5, 1.5, 0.7),
        new Hue(-20, 20, 0.5),
        new ColorNoise(0, 0.05, 0.3),
        new GaussianNoise(0, 0.05, 0.3),
        new Cutout(0.05, 0.25, 0.3, 3.3, 0, 0.5),
    }, name: "Strong");

    /// <summary>
    /// RandAugment (Cubuk et al. 2019): per image, <paramref name="n"/> distinct operations chosen at random
    /// from ten (rotate, shear, shift, brightness, contrast, saturation, hue, Gaussian noise, cutout,
    /// horizontal flip), each applied at strength <paramref name="m"/> on a 0..30 scale: at m = 30 rotation
    /// is +-30 degrees, shear +-20 degrees, shift up to 30%, brightness/contrast/saturation factors 1 +- 0.9,
    /// hue +-30 degrees, noise std 0.1, cutout 25% of the area. Directions are random.
    /// </summary>
    /// <param name="n">Operations per image, in [1, 10].</param>
    /// <param name="m">Magnitude, in [0, 30] (9-15 are usual).</param>
    public static AugmentationPolicy RandAugment(int n = 2, int m = 9)
    {
        if (n < 1 || n > 10)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"{nameof(n)} must be in [1, 10]; got {n}.");
        if (m < 0 || m > 30)
            throw new ArgumentOutOfRangeException(nameof(m), m, $"{nameof(m)} must be in [0, 30]; got {m}.");
        double f = m / 30.0;
        double factor = 1 + 0.9 * f;
        return new AugmentationPolicy(new AugmentationOperation[]
        {
            new Rotate(30 * f, 30 * f, 1, randomSign: true),
            new Shear(20 * f, 20 * f, 1, randomSign: true),
            new Shift(0.3 * f, 0.3 * f, 1),
            new Brightness(factor, factor, 1, randomSign: true),
            new Contrast(factor, factor, 1, randomSign: true),
            new Saturation(factor, factor, 1, randomSign: true),
            new Hue(30 * f, 30 * f, 1, randomSign: true),
            new GaussianNoise(0.1 * f, 0.1 * f, 1),
            new Cutout(0.01 + 0.24 * f, 0.01 + 0.24 * f, 0.5, 2, 0, 1),
            new HorizontalFlip(1),
        }, n, $"RandAugment(n={n}, m={m})");
    }

    /// <summary>A copy with <paramref name="operations"/> appended.</summary>
    public AugmentationPolicy With(params AugmentationOperation[] operations) =>
        new(_operations.Concat(operations), OperationsPerImage, Name + "+");

    /// <summary>A copy without the operations of type <typeparamref name="T"/> (e.g. no flips for a class
    /// whose orientation matters).</summary>
    public AugmentationPolicy Without<T>() where T : AugmentationOperation
    {
        var kept = _operations.Where(o => o is not T).ToArray();
        int? perImage = OperationsPerImage is int n ? Math.Min(n, Math.Max(1, kept.Length)) : null;
        return new AugmentationPolicy(kept, kept.Length == 0 ? null : perImage, $"{Name}-{typeof(T).Name}");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {string.Join(", ", _operations.Select(o => o.ToString()))}";

    /// <summary>Draws the parameters for one image of the given size.</summary>
    internal AugmentationPlan Sample(ulong seed, int width, int height)
    {
        var plan = new AugmentationPlan(width, height);
        var random = new DeterministicRandom(seed);
        if (OperationsPerImage is int n)
        {
            Span<int> order = stackalloc int[_operations.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            for (int i = 0; i < n; i++)
            {
                int j = i + random.NextInt(order.Length - i);
                (order[i], order[j]) = (order[j], order[i]);
                Consider(order[i], ref random, plan);
            }
        }
        else
        {
            for (int i = 0; i < _operations.Length; i++) Consider(i, ref random, plan);
        }
        return plan;
    }

    private void Consider(int index, ref DeterministicRandom random, AugmentationPlan plan)
    {
        var op = _operations[index];
        if (random.NextDouble() < op.Probability)
        {
            op.Sample(ref random, plan);
            plan.AppliedMask |= 1UL << index;
        }
    }
}
