namespace MlNetExt.Regression.Counts;

/// <summary>What a count model was trained by: the likelihood (or loss).</summary>
internal enum CountModelKind { Poisson, SquaredError, NegativeBinomial }

/// <summary>The <c>mlnetext.likelihood</c> values of <see cref="CountModelKind"/>.</summary>
internal static class CountModelKinds
{
    public static string ToMetadata(CountModelKind kind) => kind switch
    {
        CountModelKind.Poisson => "poisson",
        CountModelKind.NegativeBinomial => "negative_binomial",
        CountModelKind.SquaredError => "squared_error",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown count model kind."),
    };

    public static CountModelKind FromMetadata(string value) => value switch
    {
        "poisson" => CountModelKind.Poisson,
        "negative_binomial" => CountModelKind.NegativeBinomial,
        "squared_error" => CountModelKind.SquaredError,
        _ => throw new InvalidDataException($"The ONNX metadata 'mlnetext.likelihood' is '{value}'; expected poisson, negative_binomial or squared_error."),
    };
}
