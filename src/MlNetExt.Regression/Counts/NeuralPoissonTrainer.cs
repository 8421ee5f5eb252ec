using Microsoft.ML;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Neural Poisson regression: an MLP predicts ln μ for every output and trains by the full Poisson NLL
/// μ - k ln μ + ln k! (or squared error, see <see cref="NeuralPoissonOptions.Loss"/>). Fit returns standard ML.NET
/// transformers scoring the exported ONNX network; Score is the expected count.
/// </summary>
public sealed class NeuralPoissonTrainer : IEstimator<CountRegressionTransformer>
{
    private readonly MLContext _context;
    private readonly NeuralPoissonOptions _options;

    /// <summary>Creates the trainer on <paramref name="context"/> (its seed, log and GPU settings are used).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Training options.</param>
    public NeuralPoissonTrainer(MLContext context, NeuralPoissonOptions options)
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
            _options.Loss == CountLoss.SquaredError ? CountModelKind.SquaredError : CountModelKind.Poisson, "NeuralPoisson");

    /// <summary>The output shape: adds the score column, shaped like the label.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => NeuralCountTraining.OutputSchema(_context, inputSchema, _options);
}
