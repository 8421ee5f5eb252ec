using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Binary transfer-learned image classifier (<c>mlContext.BinaryClassification.Trainers.ImageClassifier</c>): a bool
/// label; outputs <c>Score</c> (the logit), <c>Probability</c> (its sigmoid) and a bool <c>PredictedLabel</c>
/// (probability &gt; 0.5), all through standard transformers, so <c>BinaryClassification.Evaluate</c> works.
/// </summary>
public sealed class BinaryImageClassificationTrainer : IEstimator<TransformerChain<ITransformer>>
{
    private const string LabelFloatColumn = "ImageClassifier.LabelValue";
    private const string LogitColumn = "ImageClassifier.Logit";
    private const string ProbabilityOutput = "ImageClassifier.Probability";
    private const string PositiveOutput = "ImageClassifier.Positive";
    private const string PositiveColumn = "ImageClassifier.PositiveScalar";

    private readonly MLContext _context;
    private readonly ImageClassifierOptions _options;

    /// <summary>Creates the trainer.</summary>
    public BinaryImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ImageClassifierValidation.Check(options);
    }

    /// <summary>Name of the probability column.</summary>
    public string ProbabilityColumnName { get; init; } = "Probability";

    /// <summary>Trains and returns the fitted pipeline.</summary>
    public TransformerChain<ITransformer> Fit(IDataView input) => Train(input).Model;

    /// <summary>Trains and returns the fitted pipeline with its ONNX network and training history.</summary>
    public ImageClassifierModel Train(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var label = input.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw new ArgumentException(ImageInput.MissingColumnMessage("Label", _options.LabelColumnName, "a Boolean column",
                input.Schema.Where(c => !c.IsHidden).Select(c => c.Name)), nameof(input));
        if (label.Type != BooleanDataViewType.Instance)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' must be Boolean; found {label.Type}.", nameof(input));

        var (preprocessing, pixelColumn, layout) = ImageInput.Prepare(_context, input, _options);
        var toFloat = _context.Transforms.Conversion.ConvertType(LabelFloatColumn, _options.LabelColumnName, DataKind.Single);
        var options = _options.Copy();
        if (options.ValidationSet is not null)
            options.ValidationSet = toFloat.Fit(options.ValidationSet).Transform(ImageInput.Apply(preprocessing, options.ValidationSet));
        var pixels = ImageInput.Apply(preprocessing, input);
        var trainingView = toFloat.Fit(pixels).Transform(pixels);
        string[] classNames = ["false", "true"];

        var (network, history) = ImageClassifierTraining.Train(
            _context, options, trainingView, pixelColumn, layout, new TensorColumnSpec(LabelFloatColumn), 2, binary: true);
        using (network)
        {
            var metadata = ClassifierMetadata.Write(_options, classNames, layout);
            var onnx = ImageClassifierOnnx.ForPipeline(network, pixelColumn, binary: true, ProbabilityOutput, PositiveOutput, LogitColumn, classNames, metadata);
            var standalone = Enum.GetValues<OnnxImageLayout>().ToDictionary(l => l,
                l => StandaloneImageClassifierOnnx.Build(network, binary: true, classNames, l, metadata));
            var transformers = new List<ITransformer>(preprocessing);
            var data = pixels;
            void Add(ITransformer t)
            {
                transformers.Add(t);
                data = t.Transform(data);
            }
            Add(OnnxTransformerFactory.Create(_context, onnx, [LogitColumn, ProbabilityOutput, PositiveOutput], [pixelColumn], data.Schema));
            Add(OnnxTransformerFactory.VectorToScalar(_context, ProbabilityColumnName, ProbabilityOutput, data.Schema));
            Add(OnnxTransformerFactory.VectorToScalar(_context, PositiveColumn, PositiveOutput, data.Schema));
            var lookup = _context.Data.LoadFromEnumerable(new[] { new BoolRow { Index = 0f, Value = false }, new BoolRow { Index = 1f, Value = true } });
            Add(_context.Transforms.Conversion.MapValue(_options.PredictedLabelColumnName, lookup, lookup.Schema[nameof(BoolRow.Index)],
                lookup.Schema[nameof(BoolRow.Value)], PositiveColumn).Fit(data));
            Add(OnnxTransformerFactory.VectorToScalar(_context, _options.ScoreColumnName, LogitColumn, data.Schema));
            var temporary = new[] { LogitColumn, ProbabilityOutput, PositiveOutput, PositiveColumn, ImageInput.ResizedColumn, ImageInput.PixelColumn }
                .Where(c => data.Schema.GetColumnOrNull(c) is not null)
                .ToArray();
            if (_options.ScoreColumnName != "Score" && input.Schema.GetColumnOrNull("Score") is null)
                temporary = [.. temporary, "Score"];
            Add(_context.Transforms.DropColumns(temporary).Fit(data));
            return new ImageClassifierModel(new TransformerChain<ITransformer>(transformers.ToArray()), onnx, classNames, history, pixelColumn,
                _options.ImageSize, standalone, _options.FeatureColumnName);
        }
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
