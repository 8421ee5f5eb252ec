using Microsoft.ML;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Neural negative-binomial (NB2) regression: an MLP predicts ln μ for every output, and one dispersion α per output
/// (Var = μ + α μ², α = softplus(ρ)) is learnt with it, by the full NB negative log-likelihood. Fit returns standard
/// ML.NET transformers scoring the exported ONNX network (Score = expected count μ); the fitted dispersions are on
/// <see cref="CountRegressionTransformer.Dispersion"/>.
/// </summary>
public sealed class NeuralNegativeBinomialTrainer : IEstimator<CountRegressionTransformer>
{
    private readonly MLContext _context;
    private readonly NeuralNegativeBinomialOptions _options;

    /// <summary>Creates the trainer on <paramref name="context"/> (its seed, log and GPU settings are used).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Training options.</param>
    public NeuralNegativeBinomialTrainer(MLContext context, NeuralNegativeBinomialOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        NeuralCountTraining.ValidateOptions(options);
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training data with the feature, label and (optional) exposure columns.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">A negative, non-whole or non-finite count, a non-finite feature, a non-positive exposure or no rows; the message names column and row.</exception>
    public CountRegressionTransformer Fit(IDataView input)
        => NeuralCountTraining.Fit(_context, input, _options,
            CountModelKind.NegativeBinomial, "NeuralNegativeBinomial");

    /// <summary>The output shape: adds the score column, shaped like the label.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => NeuralCountTraining.OutputSchema(_context, inputSchema, _options);
}
