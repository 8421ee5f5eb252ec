using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Binary transfer-learned image classifier (<c>mlContext.DeepLearning().BinaryClassification.Trainers.ImageClassifier</c>):
/// a bool label; Fit returns an <see cref="ImageClassifierModel"/> whose outputs are <c>Score</c> (the logit),
/// <c>Probability</c> (its sigmoid) and a bool <c>PredictedLabel</c> (probability &gt; 0.5), all through standard
/// transformers, so <c>BinaryClassification.Evaluate</c> works.
/// </summary>
/// <remarks>The seed is resolved when the trainer is created (<see cref="NeuralTrainerOptions.Seed"/>, else drawn from the
/// MLContext), so fitting it twice gives the same model; the trainer keeps nothing from a fit.</remarks>
public sealed class BinaryImageClassificationTrainer : IEstimator<ImageClassifierModel>
{
    internal const string ComponentName = "BinaryImageClassifier";
    private const string LabelFloatColumn = "ImageClassifier.LabelValue";
    private const string LogitColumn = "ImageClassifier.Logit";
    private const string ProbabilityOutput = "ImageClassifier.Probability";
    private const string PositiveOutput = "ImageClassifier.Positive";
    private const string PositiveColumn = "ImageClassifier.PositiveScalar";

    private readonly MLContext _context;
    private readonly ImageClassifierOptions _options;
    private readonly int _seed;

    /// <summary>Creates the trainer.</summary>
    public BinaryImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ImageClassifierValidation.Check(options);
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>Name of the probability column.</summary>
    public string ProbabilityColumnName { get; init; } = "Probability";

    /// <summary>Trains and returns the fitted classifier.</summary>
    /// <param name="input">Training data: the image or pixel column and the label (Boolean).</param>
    public ImageClassifierModel Fit(IDataView input) => FitCore(input, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/> (a binary image classifier, fitted or restored by
    /// <c>mlContext.DeepLearning().Model.Load</c>) on <paramref name="input"/> with this trainer's options: the network comes
    /// from the initial model, everything about training from the options. The pixels must have the initial model's layout
    /// and <see cref="ImageClassifierOptions.ImageSize"/> must be the model's.
    /// </summary>
    /// <param name="input">Training data with the initial model's columns.</param>
    /// <param name="initialModel">The model to continue training; not modified.</param>
    /// <exception cref="ArgumentException">The model is not binary, or the pixel layout or image size differ.</exception>
    public ImageClassifierModel Fit(IDataView input, ImageClassifierModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return FitCore(input, initialModel);
    }

    /// <summary>Trains and returns the fitted classifier.</summary>
    /// <param name="input">Training data.</param>
    [Obsolete("Use Fit: it returns the ImageClassifierModel.")]
    public ImageClassifierModel Train(IDataView input) => Fit(input);

    private ImageClassifierModel FitCore(IDataView input, ImageClassifierModel? initialModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        var label = input.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw new ArgumentException(ImageInput.MissingColumnMessage("Label", _options.LabelColumnName, "a Boolean column",
                input.Schema.Where(c => !c.IsHidden).Select(c => c.Name)), nameof(input));
        if (label.Type != BooleanDataViewType.Instance)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' must be Boolean; found {label.Type}.", nameof(input));
        var classes = new ClassifierLabel(["false", "true"], new TensorColumnSpec(LabelFloatColumn),
            _context.Transforms.Conversion.ConvertType(LabelFloatColumn, _options.LabelColumnName, DataKind.Single));

        var scoring = new ClassifierScoring(Binary: true, ProbabilityOutput, PositiveOutput, LogitColumn, chain =>
        {
            chain.Add(OnnxTransformerFactory.VectorToScalar(_context, ProbabilityColumnName, ProbabilityOutput, chain.Data.Schema));
            chain.Add(OnnxTransformerFactory.VectorToScalar(_context, PositiveColumn, PositiveOutput, chain.Data.Schema));
            var lookup = _context.Data.LoadFromEnumerable(new[] { new BoolRow { Index = 0f, Value = false }, new BoolRow { Index = 1f, Value = true } });
            chain.Add(_context.Transforms.Conversion.MapValue(_options.PredictedLabelColumnName, lookup, lookup.Schema[nameof(BoolRow.Index)],
                lookup.Schema[nameof(BoolRow.Value)], PositiveColumn).Fit(chain.Data));
            chain.Add(OnnxTransformerFactory.VectorToScalar(_context, _options.ScoreColumnName, LogitColumn, chain.Data.Schema));
        }, [PositiveColumn]);
        return ImageClassifierFitting.Fit(_context, _options, ComponentName, _seed, input, initialModel, classes, scoring);
    }

    /// <summary>The output columns: <c>Score</c> and <c>Probability</c> (float) and <c>PredictedLabel</c> (bool).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ImageClassifierValidation.OutputSchema(_context, inputSchema, _options, binary: true);

    private sealed class BoolRow
    {
        public float Index { get; set; }

        public bool Value { get; set; }
    }
}
