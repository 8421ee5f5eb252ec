using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Multiclass transfer-learned image classifier (<c>mlContext.DeepLearning().MulticlassClassification.Trainers.ImageClassifier</c>).
/// Fit trains with TorchSharp and returns an <see cref="ImageClassifierModel"/> that scores with standard transformers:
/// [ResizeImages, ExtractPixels,] ApplyOnnxModel (the network with its normalisation), then MapValue / MapValueToKey so
/// <c>Score</c> holds the class probabilities and <c>PredictedLabel</c> is a key with the label's key values. <c>Score</c>
/// carries the label's key values as slot names (recorded in the ONNX model the way ML.NET's own ONNX export does, so
/// ApplyOnnxModel sets them).
/// </summary>
/// <remarks>The seed is resolved when the trainer is created (<see cref="NeuralTrainerOptions.Seed"/>, else drawn from the
/// MLContext), so fitting it twice gives the same model; the trainer keeps nothing from a fit.</remarks>
public sealed class ImageClassificationTrainer : IEstimator<ImageClassifierModel>
{
    internal const string ComponentName = "ImageClassifier";
    private const string ProbabilitiesColumn = "ImageClassifier.Probabilities";
    private const string IndexColumn = "ImageClassifier.Index";
    private const string ClassColumn = "ImageClassifier.Class";
    private const string LabelValueColumn = "ImageClassifier.LabelValue";

    private readonly MLContext _context;
    private readonly ImageClassifierOptions _options;
    private readonly int _seed;

    /// <summary>Creates the trainer.</summary>
    public ImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ImageClassifierValidation.Check(options);
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>Trains and returns the fitted classifier.</summary>
    /// <param name="input">Training data: the image or pixel column and the label (a key column).</param>
    public ImageClassifierModel Fit(IDataView input) => FitCore(input, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/> (fitted, or restored by <c>mlContext.DeepLearning().Model.Load</c>)
    /// on <paramref name="input"/> with this trainer's options: the network (backbone, head, image size) comes from the
    /// initial model, everything about training from the options. The label must have the initial model's classes and the
    /// pixels its layout; <see cref="ImageClassifierOptions.ImageSize"/> must be the model's.
    /// </summary>
    /// <param name="input">Training data with the initial model's columns.</param>
    /// <param name="initialModel">The model to continue training; not modified.</param>
    /// <exception cref="ArgumentException">The classes, the pixel layout or the image size differ from the initial model's.</exception>
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
            ?? throw new ArgumentException(ImageInput.MissingColumnMessage("Label", _options.LabelColumnName, "a key column (MapValueToKey)",
                input.Schema.Where(c => !c.IsHidden).Select(c => c.Name)), nameof(input));
        var classNames = ClassLabelReader.KeyClassNames(label, parameterName: nameof(input));
        if (classNames.Count < 2)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' has {classNames.Count} class; an image classifier needs at least two.", nameof(input));
        var classes = new ClassifierLabel(classNames, new TensorColumnSpec(_options.LabelColumnName, TensorColumnKind.KeyIndex));

        var scoring = new ClassifierScoring(Binary: false, ProbabilitiesColumn, IndexColumn, LogitOutput: null, chain =>
        {
            chain.Add(OnnxTransformerFactory.VectorToScalar(_context, ClassColumn, IndexColumn, chain.Data.Schema));
            chain.Add(_context.Transforms.CopyColumns(_options.ScoreColumnName, ProbabilitiesColumn).Fit(chain.Data));
            chain.Add(PredictedLabelMapping.IndexToKey(_context, _options.PredictedLabelColumnName, ClassColumn, LabelValueColumn, label, chain.Data));
        }, [ClassColumn, LabelValueColumn]);
        return ImageClassifierFitting.Fit(_context, _options, ComponentName, _seed, input, initialModel, classes, scoring);
    }

    /// <summary>The output columns: <c>Score</c> (float vector) and <c>PredictedLabel</c> (the label's key type).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ImageClassifierValidation.OutputSchema(_context, inputSchema, _options, binary: false);
}
