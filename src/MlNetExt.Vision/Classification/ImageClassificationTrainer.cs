using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Multiclass transfer-learned image classifier (<c>mlContext.MulticlassClassification.Trainers.ImageClassifier</c>).
/// Fit trains with TorchSharp and returns standard transformers: [ResizeImages, ExtractPixels,] ApplyOnnxModel (the
/// network with its normalisation), then MapValue / MapValueToKey so <c>Score</c> holds the class probabilities and
/// <c>PredictedLabel</c> is a key with the label's key values. <c>Score</c> carries the label's key values as slot
/// names (recorded in the ONNX model the way ML.NET's own ONNX export does, so ApplyOnnxModel sets them).
/// </summary>
public sealed class ImageClassificationTrainer : IEstimator<TransformerChain<ITransformer>>
{
    private const string ProbabilitiesColumn = "ImageClassifier.Probabilities";
    private const string IndexColumn = "ImageClassifier.Index";
    private const string ClassColumn = "ImageClassifier.Class";
    private const string LabelValueColumn = "ImageClassifier.LabelValue";

    private readonly MLContext _context;
    private readonly ImageClassifierOptions _options;

    /// <summary>Creates the trainer.</summary>
    public ImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ImageClassifierValidation.Check(options);
    }

    /// <summary>Trains and returns the fitted pipeline.</summary>
    public TransformerChain<ITransformer> Fit(IDataView input) => Train(input).Model;

    /// <summary>Trains and returns the fitted pipeline with its ONNX network, class names and training history.</summary>
    public ImageClassifierModel Train(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labelOrNull = input.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw new ArgumentException(ImageInput.MissingColumnMessage("Label", _options.LabelColumnName, "a key column (MapValueToKey)",
                input.Schema.Where(c => !c.IsHidden).Select(c => c.Name)), nameof(input));
        var label = labelOrNull;
        if (label.Type is not KeyDataViewType key)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' must be a key column (use MapValueToKey); found {label.Type}.", nameof(input));
        int classCount = checked((int)key.Count);
        if (classCount < 2)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' has {classCount} class; an image classifier needs at least two.", nameof(input));
        var classNames = ImageClassifierValidation.KeyValueNames(label);

        var (preprocessing, pixelColumn, layout) = ImageInput.Prepare(_context, input, _options);
        var options = _options.Copy();
        if (options.ValidationSet is not null)
            options.ValidationSet = ImageInput.Apply(preprocessing, options.ValidationSet);
        var pixels = ImageInput.Apply(preprocessing, input);

        var (network, history) = ImageClassifierTraining.Train(
            _context, options, pixels, pixelColumn, layout, new TensorColumnSpec(_options.LabelColumnName, TensorColumnKind.KeyIndex),
            classCount, binary: false);
        using (network)
        {
            var metadata = ClassifierMetadata.Write(_options, classNames, layout);
            var onnx = ImageClassifierOnnx.ForPipeline(network, pixelColumn, binary: false, ProbabilitiesColumn, IndexColumn, null, classNames, metadata);
            var standalone = Enum.GetValues<OnnxImageLayout>().ToDictionary(l => l,
                l => StandaloneImageClassifierOnnx.Build(network, binary: false, classNames, l, metadata));
            var transformers = new List<ITransformer>(preprocessing);
            var data = pixels;
            ITransformer Add(ITransformer t)
            {
                transformers.Add(t);
                data = t.Transform(data);
                return t;
            }
            Add(OnnxTransformerFactory.Create(_context, onnx, [ProbabilitiesColumn, IndexColumn], [pixelColumn], data.Schema));
            Add(OnnxTransformerFactory.VectorToScalar(_context, ClassColumn, IndexColumn, data.Schema));
            Add(_context.Transforms.CopyColumns(_options.ScoreColumnName, ProbabilitiesColumn).Fit(data));
            Add(PredictedLabelMapping.IndexToKey(_context, _options.PredictedLabelColumnName, ClassColumn, LabelValueColumn, label, data));
            var temporary = new[] { ProbabilitiesColumn, IndexColumn, ClassColumn, LabelValueColumn, ImageInput.ResizedColumn, ImageInput.PixelColumn }
                .Where(c => data.Schema.GetColumnOrNull(c) is not null && c != _options.ScoreColumnName && c != _options.PredictedLabelColumnName)
                .ToArray();
            if (_options.ScoreColumnName != "Score" && data.Schema.GetColumnOrNull("Score") is not null && input.Schema.GetColumnOrNull("Score") is null)
                temporary = [.. temporary, "Score"];
            Add(_context.Transforms.DropColumns(temporary).Fit(data));
            return new ImageClassifierModel(new TransformerChain<ITransformer>(transformers.ToArray()), onnx, classNames, history, pixelColumn,
                _options.ImageSize, standalone, _options.FeatureColumnName);
        }
    }

    /// <summary>The output columns: <c>Score</c> (float vector) and <c>PredictedLabel</c> (the label's key type).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ImageClassifierValidation.OutputSchema(_context, inputSchema, _options, binary: false);
}
