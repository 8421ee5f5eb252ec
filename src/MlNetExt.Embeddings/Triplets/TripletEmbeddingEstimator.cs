using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Data;
using MlNetExt.ImageAugmentation;
using MlNetExt.Vision.Classification;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Trains an L2-normalised embedding by triplet loss (online mining over P x K class-balanced batches): an image
/// encoder (any Vision backbone plus a projection head) for MLImage or raw-pixel input, or an MLP for a float vector.
/// <see cref="Fit"/> returns standard transformers: [ResizeImages, ExtractPixels,] ApplyOnnxModel over the exported
/// encoder (pixel scaling, resizing, normalisation and L2 normalisation inside the graph), so Save/Load just works.
/// </summary>
public sealed class TripletEmbeddingEstimator : IEstimator<ITransformer>
{
    private const string ResizedColumn = "TripletEmbedding.Resized";
    private const string PixelColumn = "TripletEmbedding.Pixels";

    private readonly MLContext _context;
    private readonly TripletEmbeddingOptions _options;
    private TripletTrainingLoop? _loop;
    private TripletEmbeddingModel? _lastModel;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its log and GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, model and training options.</param>
    public TripletEmbeddingEstimator(MLContext context, TripletEmbeddingOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EmbeddingDimension, 1, nameof(options.EmbeddingDimension));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Epochs, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Margin, nameof(options.Margin));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ImageSize, 8, nameof(options.ImageSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.BackboneLearningRateMultiplier, nameof(options.BackboneLearningRateMultiplier));
        ArgumentNullException.ThrowIfNull(options.Augmentation, nameof(options.Augmentation));
        ArgumentNullException.ThrowIfNull(options.ProjectionHiddenLayers, nameof(options.ProjectionHiddenLayers));
        if (options.EarlyStopping is { } stopping)
        {
            if (options.ValidationSet is null)
                throw new ArgumentException("EarlyStopping needs a ValidationSet (held-out rows whose MAP@R it watches).", nameof(options));
            ArgumentOutOfRangeException.ThrowIfLessThan(stopping.Patience, 1, nameof(options.EarlyStopping.Patience));
        }
    }

    /// <summary>The collapse report of the last training batch of the last <see cref="Fit"/> (null before, or with 0 epochs).</summary>
    public CollapseReport? LastCollapseReport => _loop?.LastCollapseReport;

    /// <summary>The collapse warnings the last <see cref="Fit"/> wrote to the MLContext's log (one per collapsed epoch).</summary>
    public IReadOnlyList<string> CollapseWarnings => _loop?.CollapseWarnings ?? Array.Empty<string>();

    /// <summary>Trains and returns the fitted transformers (see <see cref="Train"/> for the encoder and history too).</summary>
    public ITransformer Fit(IDataView input) => Train(input).Model;

    /// <summary>Writes the encoder of the last <see cref="Fit"/> as a standalone ONNX file (see <see cref="TripletEmbeddingModel.EncoderOnnx"/>).</summary>
    /// <param name="path">The .onnx file to write (temporary name, then renamed).</param>
    public void ExportEncoderToOnnx(string path) =>
        (_lastModel ?? throw new InvalidOperationException("Fit the estimator before exporting its encoder.")).ExportEncoderToOnnx(path);

    /// <summary>Trains and returns the fitted model with its ONNX encoder, history and collapse warnings.</summary>
    /// <param name="input">Training data with the input column and the label column.</param>
    public TripletEmbeddingModel Train(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var column = input.Schema.GetColumnOrNull(o.InputColumnName)
            ?? throw new ArgumentException(
                $"Input column '{o.InputColumnName}' was not found; expected an MLImage column or a known-size float vector. " +
                $"Available columns: {string.Join(", ", input.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(input));
        bool image = column.Type is ImageDataViewType || o.Backbone is not null;
        var labels = ColumnReader.ReadClassIndices(input, o.LabelColumnName, out int classCount);
        if (classCount < 2)
            throw new ArgumentException(
                $"Label column '{o.LabelColumnName}' holds {classCount} class(es); triplets need at least two classes with two rows each.", nameof(input));
        var sampler = new ClassBalancedBatchSampler(labels, Math.Min(o.ClassesPerBatch, classCount), o.ExamplesPerClass, o.LabelColumnName);
        _loop = new TripletTrainingLoop(_context, o);
        _lastModel = image ? TrainImageEncoder(input, labels, sampler, _loop) : TrainVectorEncoder(input, labels, sampler, _loop);
        return _lastModel;
    }

    private TripletEmbeddingModel TrainVectorEncoder(IDataView input, int[] labels, ClassBalancedBatchSampler sampler, TripletTrainingLoop loop)
    {
        var o = _options;
        var features = ColumnReader.ReadFloats(input, o.InputColumnName, "Input", out int rows, out int width);
        int seed = loop.Seed;
        manual_seed(seed);
        using var net = MlpEncoder.Create(width, o.EmbeddingDimension, o.HiddenLayers, o.Activation);
        using var optimizer = new AdamOptimizer([new OptimizerGroup(net.parameters().ToArray(), o.LearningRate)], weightDecay: 0,
            decoupledWeightDecay: false);
        var validation = o.ValidationSet is null ? null
            : TripletValidationData.Read(o.ValidationSet, o.InputColumnName, o.LabelColumnName, width);
        var history = loop.Run(net, features, rows, width, labels, sampler, optimizer, (x, _, _) => net.call(x), () => net.train(), validation);
        var metadata = Metadata("mlp", $"float [batch, {width}] features");
        var onnx = TripletEncoderOnnx.Build(net, o.InputColumnName, width, o.OutputColumnName, o.EmbeddingDimension, metadata);
        var apply = OnnxTransformerFactory.Create(_context, onnx, [o.OutputColumnName], [o.InputColumnName], input.Schema);
        return new TripletEmbeddingModel(new TransformerChain<ITransformer>(apply), onnx, o.InputColumnName, width, o.OutputColumnName,
            history, loop.CollapseWarnings.ToArray());
    }

    private TripletEmbeddingModel TrainImageEncoder(IDataView input, int[] labels, ClassBalancedBatchSampler sampler, TripletTrainingLoop loop)
    {
        var o = _options;
        var backboneChoice = o.Backbone ?? ImageBackbone.Default;
        var (preprocessing, pixelColumn, layout) = ImageInput.Prepare(_context, input, o.InputColumnName, "Input", o.ImageSize,
            o.InputChannels, o.InputHeight, o.InputWidth, ResizedColumn, PixelColumn);
        var pixelData = ImageInput.Apply(preprocessing, input);
        var pixels = ReadPixels(pixelData, pixelColumn, out int rows, out int width);
        int seed = loop.Seed;
        manual_seed(seed);
        var backbone = backboneChoice.Create();
        var (mean, std) = backboneChoice.Normalisation();
        var head = MlpEncoder.Create(checked((int)backbone.FeatureDimension), o.EmbeddingDimension, o.ProjectionHiddenLayers, o.Activation);
        using var net = new ImageClassifierNetwork(backbone, head, layout, o.ImageSize, mean, std);
        bool frozen = o.BackboneLearningRateMultiplier == 0;
        var groups = new List<OptimizerGroup> { new(net.Head.parameters().ToArray(), o.LearningRate) };
        if (frozen)
        {
            foreach (var p in net.Backbone.parameters())
                p.requires_grad = false;
        }
        else
        {
            groups.Add(new OptimizerGroup(net.Backbone.parameters().ToArray(), o.LearningRate * o.BackboneLearningRateMultiplier));
        }
        using var optimizer = new AdamOptimizer(groups, weightDecay: 0, decoupledWeightDecay: false);
        var augmenter = o.Augmentation.Operations.Count == 0 ? null : new BatchAugmenter(o.Augmentation, seed);

        Tensor Forward(Tensor x, Tensor y, int epoch)
        {
            Tensor images;
            using (no_grad())
            {
                images = net.ToImages(x);
                if (augmenter is not null)
                    images = augmenter.Apply(images, epoch, y);
            }
            return net.Logits(net.Normalize(images));
        }

        void TrainMode()
        {
            net.train();
            if (frozen)
                net.Backbone.eval();
        }

        var validation = o.ValidationSet is null ? null
            : TripletValidationData.Read(ImageInput.Apply(preprocessing, o.ValidationSet), pixelColumn, o.LabelColumnName, width);
        var history = loop.Run(net, pixels, rows, width, labels, sampler, optimizer, Forward, TrainMode, validation);
        var metadata = Metadata(backboneChoice.Description,
            $"float [batch, {layout.Length}] raw pixels, planar {layout.Channels} x {layout.Height} x {layout.Width}, values 0..255; " +
            $"resized to {o.ImageSize} x {o.ImageSize} and normalised inside the graph");
        var onnx = TripletEncoderOnnx.Build(net, pixelColumn, width, o.OutputColumnName, o.EmbeddingDimension, metadata);

        var transformers = new List<ITransformer>(preprocessing);
        var apply = OnnxTransformerFactory.Create(_context, onnx, [o.OutputColumnName], [pixelColumn], pixelData.Schema);
        transformers.Add(apply);
        var scored = apply.Transform(pixelData);
        var temporary = new[] { ResizedColumn, PixelColumn }
            .Where(c => scored.Schema.GetColumnOrNull(c) is not null && c != o.OutputColumnName && input.Schema.GetColumnOrNull(c) is null).ToArray();
        if (temporary.Length > 0)
            transformers.Add(_context.Transforms.DropColumns(temporary).Fit(scored));
        return new TripletEmbeddingModel(new TransformerChain<ITransformer>(transformers.ToArray()), onnx, pixelColumn, width, o.OutputColumnName,
            history, loop.CollapseWarnings.ToArray());
    }

    /// <summary>Reads the pixel vectors; a failure while decoding images names the input column.</summary>
    private float[] ReadPixels(IDataView data, string pixelColumn, out int rows, out int width)
    {
        var (pixels, r, w) = ImageInput.ReadImages(_options.InputColumnName, "the images of input column", () =>
        {
            var values = ColumnReader.ReadFloats(data, pixelColumn, "Input", out int count, out int size);
            return (values, count, size);
        });
        rows = r;
        width = w;
        return pixels;
    }

    private IReadOnlyDictionary<string, string> Metadata(string encoder, string input) => new Dictionary<string, string>
    {
        ["mlnetext.model"] = "triplet_embedding",
        ["mlnetext.encoder"] = encoder,
        ["mlnetext.input"] = input,
        ["mlnetext.embedding_dimension"] = _options.EmbeddingDimension.ToString(CultureInfo.InvariantCulture),
        ["mlnetext.epochs"] = _options.Epochs.ToString(CultureInfo.InvariantCulture),
        ["mlnetext.output"] = "L2-normalised embedding",
    };

    /// <summary>Adds the float-vector embedding column (image input: checks the column is an image or a float vector).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var column = inputSchema.FirstOrDefault(c => c.Name == _options.InputColumnName);
        if (column.Name is null)
            throw new ArgumentException($"Input column '{_options.InputColumnName}' was not found in the input schema.", nameof(inputSchema));
        if (column.ItemType is ImageDataViewType)
        {
            // A float vector output described by standard estimators (no internal SchemaShape constructors needed).
            return _context.Transforms.ResizeImages(ResizedColumn, _options.ImageSize, _options.ImageSize, _options.InputColumnName)
                .Append(_context.Transforms.ExtractPixels(_options.OutputColumnName, ResizedColumn))
                .Append(_context.Transforms.DropColumns(ResizedColumn))
                .GetOutputSchema(inputSchema);
        }
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentException(
                $"Input column '{_options.InputColumnName}' must be an MLImage column or a known-size vector of Single, found {column.ItemType} ({column.Kind}).",
                nameof(inputSchema));
        return _context.Transforms.CopyColumns(_options.OutputColumnName, _options.InputColumnName).GetOutputSchema(inputSchema);
    }
}
