using Microsoft.ML;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Neural Poisson regression: an MLP predicts ln μ for every output and trains by the full Poisson NLL
/// μ - k ln μ + ln k! (or squared error, see <see cref="NeuralPoissonOptions.Loss"/>). Fit returns standard ML.NET
/// transformers scoring the exported ONNX network; Score is the expected count.
/// </summary>
/// <remarks>The seed is resolved when the trainer is constructed (<see cref="NeuralTrainerOptions.Seed"/>, else drawn
/// from the MLContext), so fitting it twice gives the same model.</remarks>
public sealed class NeuralPoissonTrainer : IEstimator<CountRegressionTransformer>
{
    private const string ComponentName = "NeuralPoisson";

    private readonly MLContext _context;
    private readonly NeuralPoissonOptions _options;
    private readonly int _seed;

    /// <summary>Creates the trainer on <paramref name="context"/> (its seed, log and GPU settings are used).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Training options.</param>
    public NeuralPoissonTrainer(MLContext context, NeuralPoissonOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        NeuralCountTraining.ValidateOptions(options);
        _options = options;
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training data with the feature, label and (optional) exposure columns.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">A negative, non-whole or non-finite count, a non-finite feature, a non-positive exposure or no rows; the message names column and row.</exception>
    public CountRegressionTransformer Fit(IDataView input) => NeuralCountTraining.Fit(_context, input, _options, Kind, ComponentName, _seed, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/> on <paramref name="input"/> (ML.NET's retraining shape): the
    /// network is rebuilt from the model's architecture and weights (feature standardisation included; a model loaded with
    /// <c>mlContext.DeepLearning().Model.Load&lt;CountRegressionTransformer&gt;</c> works too) and trained with this
    /// trainer's options for <see cref="NeuralTrainerOptions.Epochs"/> more epochs. Its network shape (hidden layers,
    /// activation, dropout) is the initial model's; the options' shape settings are not used.
    /// </summary>
    /// <param name="input">New training data with the same feature width and label width as the initial model's.</param>
    /// <param name="initialModel">The model to start from.</param>
    /// <returns>The model trained further.</returns>
    /// <exception cref="ArgumentException">The feature or label width differs from the initial model's; the message names the column and both sizes.</exception>
    public CountRegressionTransformer Fit(IDataView input, CountRegressionTransformer initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return NeuralCountTraining.Fit(_context, input, _options, Kind, ComponentName, _seed, initialModel);
    }

    /// <summary>The output shape: adds the score column, shaped like the label.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => NeuralCountTraining.OutputSchema(_context, inputSchema, _options);

    private CountModelKind Kind => _options.Loss == CountLoss.SquaredError ? CountModelKind.SquaredError : CountModelKind.Poisson;
}
