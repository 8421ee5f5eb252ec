using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>How a classifier's label is trained on: the classes in the order of the network's outputs, the column the
/// training loop reads, and the conversion (if any) that makes that column from the label.</summary>
/// <param name="ClassNames">The class names, in output order.</param>
/// <param name="Spec">The column the training loop reads (a key index, or a 0/1 float for binary).</param>
/// <param name="Conversion">Makes <paramref name="Spec"/>'s column from the label column; null when the loop reads the label itself.</param>
internal sealed record ClassifierLabel(IReadOnlyList<string> ClassNames, TensorColumnSpec Spec, IEstimator<ITransformer>? Conversion = null);

/// <summary>What a classifier puts after its network in the scoring chain.</summary>
/// <param name="Binary">One logit (binary) or one output per class.</param>
/// <param name="ProbabilityOutput">The graph output holding the probabilities (binary: of the positive class).</param>
/// <param name="ClassOutput">The graph output holding the predicted class index as a float (binary: 0 or 1).</param>
/// <param name="LogitOutput">The graph output holding the logit (binary only).</param>
/// <param name="AddColumns">Adds the transformers that make the user-facing columns from the graph's outputs.</param>
/// <param name="TemporaryColumns">The columns those transformers leave behind, dropped at the end of the chain.</param>
internal sealed record ClassifierScoring(bool Binary, string ProbabilityOutput, string ClassOutput, string? LogitOutput,
    Action<ScoringChain> AddColumns, IReadOnlyList<string> TemporaryColumns);

/// <summary>The transformers of a scoring chain being built, and the data as they leave it (each new transformer is
/// fitted on it).</summary>
internal sealed class ScoringChain
{
    private readonly List<ITransformer> _transformers;

    public ScoringChain(IEnumerable<ITransformer> preprocessing, IDataView preprocessed)
    {
        _transformers = new List<ITransformer>(preprocessing);
        Data = preprocessed;
    }

    /// <summary>The data after every transformer added so far.</summary>
    public IDataView Data { get; private set; }

    /// <summary>Appends <paramref name="transformer"/>.</summary>
    public void Add(ITransformer transformer)
    {
        _transformers.Add(transformer);
        Data = transformer.Transform(Data);
    }

    public TransformerChain<ITransformer> ToChain() => new(_transformers.ToArray());
}

/// <summary>The training and scoring-chain steps both image classifiers share; <see cref="ClassifierLabel"/> and
/// <see cref="ClassifierScoring"/> hold what differs.</summary>
internal static class ImageClassifierFitting
{
    /// <summary>Trains (or continues training <paramref name="initialModel"/>) and returns the fitted classifier.</summary>
    public static ImageClassifierModel Fit(MLContext context, ImageClassifierOptions options, string componentName, int seed,
        IDataView input, ImageClassifierModel? initialModel, ClassifierLabel label, ClassifierScoring scoring)
    {
        bool binary = scoring.Binary;
        var (preprocessing, pixelColumn, layout) = ImageInput.Prepare(context, input, options);
        if (initialModel is not null)
            ImageClassifierValidation.CheckInitialModel(options, initialModel, layout, label.ClassNames, binary);
        IDataView TrainingView(IDataView data)
        {
            var pixels = ImageInput.Apply(preprocessing, data);
            return label.Conversion is null ? pixels : label.Conversion.Fit(pixels).Transform(pixels);
        }
        var trainingOptions = options.Copy();
        if (trainingOptions.ValidationSet is not null)
            trainingOptions.ValidationSet = TrainingView(trainingOptions.ValidationSet);

        var (network, architecture, history) = ImageClassifierTraining.Train(context, trainingOptions, componentName, seed, TrainingView(input),
            pixelColumn, layout, label.Spec, binary ? 2 : label.ClassNames.Count, binary, initialModel);
        using (network)
        {
            var description = ClassifierMetadata.Describe(options, ImageClassifierValidation.BackboneDescription(options, initialModel),
                architecture, label.ClassNames, history);
            var graphs = new ClassifierGraphs(
                ImageClassifierOnnx.ForPipeline(network, pixelColumn, binary, scoring.ProbabilityOutput, scoring.ClassOutput, scoring.LogitOutput,
                    label.ClassNames, description),
                StandaloneImageClassifierOnnx.Build(network, binary, label.ClassNames, OnnxImageLayout.UInt8Nhwc, description),
                StandaloneImageClassifierOnnx.Build(network, binary, label.ClassNames, OnnxImageLayout.FloatNchw, description));

            var chain = new ScoringChain(preprocessing, ImageInput.Apply(preprocessing, input));
            string[] onnxOutputs = scoring.LogitOutput is string logit
                ? [logit, scoring.ProbabilityOutput, scoring.ClassOutput]
                : [scoring.ProbabilityOutput, scoring.ClassOutput];
            chain.Add(OnnxTransformerFactory.Create(context, graphs.Pipeline, onnxOutputs, [pixelColumn], chain.Data.Schema));
            scoring.AddColumns(chain);
            chain.Add(context.Transforms.DropColumns(TemporaryColumns(options, input, chain.Data, scoring)).Fit(chain.Data));
            return new ImageClassifierModel(chain.ToChain(), graphs, history, architecture, label.ClassNames, pixelColumn, options.FeatureColumnName);
        }
    }

    /// <summary>The graph outputs and helper columns left in <paramref name="data"/>, except the user's output columns; and
    /// <c>Score</c> when the scoring chain made it on the way to a differently named score column.</summary>
    private static string[] TemporaryColumns(ImageClassifierOptions options, IDataView input, IDataView data, ClassifierScoring scoring)
    {
        var helpers = new[] { scoring.LogitOutput, scoring.ProbabilityOutput, scoring.ClassOutput }.OfType<string>()
            .Concat(scoring.TemporaryColumns)
            .Concat([ImageInput.ResizedColumn, ImageInput.PixelColumn]);
        var temporary = helpers
            .Where(c => data.Schema.GetColumnOrNull(c) is not null && c != options.ScoreColumnName && c != options.PredictedLabelColumnName)
            .ToList();
        const string score = "Score";
        if (options.ScoreColumnName != score && data.Schema.GetColumnOrNull(score) is not null && input.Schema.GetColumnOrNull(score) is null)
            temporary.Add(score);
        return temporary.ToArray();
    }
}
