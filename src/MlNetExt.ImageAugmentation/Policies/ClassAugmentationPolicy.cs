namespace MlNetExt.ImageAugmentation;

/// <summary>
/// Class-dependent augmentation: a default policy plus overrides per label value, e.g. no flips for a class
/// whose orientation matters, or a stronger policy for a rare class. Labels are matched by their text
/// (text labels as they are, key labels by their key value text, numbers in invariant culture).
/// </summary>
public sealed class ClassAugmentationPolicy
{
    private readonly Dictionary<string, AugmentationPolicy> _overrides;

    /// <summary>Creates a class-dependent policy.</summary>
    /// <param name="defaultPolicy">The policy for every label without an override.</param>
    /// <param name="overrides">Label value -> policy.</param>
    public ClassAugmentationPolicy(AugmentationPolicy defaultPolicy, IReadOnlyDictionary<string, AugmentationPolicy>? overrides = null)
    {
        DefaultPolicy = defaultPolicy ?? throw new ArgumentNullException(nameof(defaultPolicy));
        _overrides = new Dictionary<string, AugmentationPolicy>(StringComparer.Ordinal);
        if (overrides is not null)
        {
            foreach (var (label, policy) in overrides)
                _overrides[label ?? throw new ArgumentException("A label is null.", nameof(overrides))] =
                    policy ?? throw new ArgumentException($"The policy for label '{label}' is null.", nameof(overrides));
        }
    }

    /// <summary>The policy for labels without an override.</summary>
    public AugmentationPolicy DefaultPolicy { get; }

    /// <summary>The overrides, label value -> policy.</summary>
    public IReadOnlyDictionary<string, AugmentationPolicy> Overrides => _overrides;

    /// <summary>A copy with <paramref name="policy"/> used for <paramref name="label"/>.</summary>
    public ClassAugmentationPolicy WithOverride(string label, AugmentationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(policy);
        var copy = new Dictionary<string, AugmentationPolicy>(_overrides) { [label] = policy };
        return new ClassAugmentationPolicy(DefaultPolicy, copy);
    }

    /// <summary>The policy for a label value.</summary>
    public AugmentationPolicy For(string label) =>
        label is not null && _overrides.TryGetValue(label, out var p) ? p : DefaultPolicy;

    /// <summary>The same policy for every class.</summary>
    public static implicit operator ClassAugmentationPolicy(AugmentationPolicy policy) => new(policy);
}
