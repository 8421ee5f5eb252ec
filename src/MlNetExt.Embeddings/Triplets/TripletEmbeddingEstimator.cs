using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.Core.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;
using MlNetExt.Vision.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Trains an L2-normalised embedding by triplet loss (online mining over P x K class-balanced batches, through Core's
/// <see cref="NeuralTrainingLoop"/>): an image encoder (any Vision backbone plus a projection head) for MLImage or
/// raw-pixel input, or an MLP for a float vector. <see cref="Fit(IDataView)"/> returns standard transformers: [ResizeImages,
/// ExtractPixels,] ApplyOnnxModel over the exported encoder (pixel scaling, resizing, normalisation and L2 normalisation
/// inside the graph), so Save/Load just works. The seed is resolved at construction (the options' seed, else one drawn from the
/// MLContext), and the estimator keeps nothing from a <see cref="Fit(IDataView)"/>: everything training learns is on the returned model.
/// </summary>
public sealed class TripletEmbeddingEstimator : IEstimator<TripletEmbeddingModel>
{
    private const string ComponentName = "TripletEmbedding";
    private const string ResizedColumn = "TripletEmbedding.Resized";
    private const string PixelColumn = "TripletEmbedding.Pixels";

    private readonly MLContext _context;
    private readonly TripletEmbeddingOptions _options;
    private readonly int _seed;

    // Only for the obsolete members below (one release); the estimator itself does not depend on it.
    private TripletEmbeddingModel? _lastModel;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its seed when the options have none, its log).</summary>
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
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ExamplesPerClass, 2, nameof(options.ExamplesPerClass));
        if (options.ClassesPerBatch is int p)
            ArgumentOutOfRangeException.ThrowIfLessThan(p, 2, nameof(options.ClassesPerBatch));
        else if (options.EffectiveClassesPerBatch < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize,
                $"BatchSize ({options.BatchSize}) must hold at least 2 identities of ExamplesPerClass ({options.ExamplesPerClass}) rows.");
        ArgumentNullException.ThrowIfNull(options.Augmentation, nameof(options.Augmentation));
        ArgumentNullException.ThrowIfNull(options.ProjectionHiddenLayers, nameof(options.ProjectionHiddenLayers));
        ArgumentNullException.ThrowIfNull(options.HiddenLayers, nameof(options.HiddenLayers));
        if (options.EarlyStopping is { } stopping)
        {
            if (options.ValidationSet is null && options.ValidationFraction <= 0)
                throw new ArgumentException("EarlyStopping needs a ValidationSet or a ValidationFraction (held-out identities whose MAP@R it watches).",
                    nameof(options));
            ArgumentOutOfRangeException.ThrowIfLessThan(stopping.Patience, 1, nameof(options.EarlyStopping.Patience));
        }
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>The collapse report of the last epoch of the last <see cref="Fit(IDataView)"/> (null before, or with 0 epochs).</summary>
    [Obsolete("Use the fitted model's LastCollapseReport.")]
    public CollapseReport? LastCollapseReport => _lastModel?.LastCollapseReport;

    /// <summary>The collapse warnings the last <see cref="Fit(IDataView)"/> wrote to the MLContext's log (one per collapsed epoch).</summary>
    [Obsolete("Use the fitted model's CollapseWarnings.")]
    public IReadOnlyList<string> CollapseWarnings => _lastModel?.CollapseWarnings ?? Array.Empty<string>();

    /// <summary>Writes the encoder of the last <see cref="Fit(IDataView)"/> as a standalone ONNX file.</summary>
    /// <param name="path">The .onnx file to write (temporary name, then renamed).</param>
    [Obsolete("Use the fitted model's ExportToOnnx(path).")]
    public void ExportEncoderToOnnx(string path) =>
        (_lastModel ?? throw new InvalidOperationException("Fit the estimator before exporting its encoder.")).ExportToOnnx(path);

    /// <summary>Trains and returns the fitted model.</summary>
    /// <param name="input">Training data with the input column and the label column.</param>
    [Obsolete("Use Fit(input): it returns the TripletEmbeddingModel.")]
    public TripletEmbeddingModel Train(IDataView input) => Fit(input);

    /// <summary>Trains and returns the fitted model: the scoring transformers, the ONNX encoder, the history and the warnings.</summary>
    /// <param name="input">Training data with the input column and the label column. A vector input column may hold Single,
    /// Double, an integer type or Boolean (other types than Single are converted to Single by the scoring chain); the label
    /// column may be a key, text, Boolean or numeric scalar.</param>
    /// <exception cref="ArgumentException">A column is missing or has a type that cannot be used; the message names it.</exception>
    /// <exception cref="InvalidDataException">A NaN or infinite input value, or a missing label; the message names the column
    /// and the row (the row number in <paramref name="input"/>, also after a ValidationFraction split).</exception>
    public TripletEmbeddingModel Fit(IDataView input) => Train(input, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/>'s encoder on <paramref name="input"/> (ML.NET's retraining shape):
    /// the encoder is rebuilt from the model's <c>mlnetext.architecture</c> and its weights (a model loaded with
    /// <c>mlContext.DeepLearning().Model.Load&lt;TripletEmbeddingModel&gt;</c> works too), then trained with this estimator's
    /// options for <see cref="NeuralTrainerOptions.Epochs"/> more epochs. The encoder's shape is the initial model's: the
    /// options' <see cref="TripletEmbeddingOptions.EmbeddingDimension"/>, <see cref="TripletEmbeddingOptions.HiddenLayers"/>,
    /// <see cref="TripletEmbeddingOptions.ProjectionHiddenLayers"/>, <see cref="TripletEmbeddingOptions.Activation"/> and
    /// <see cref="TripletEmbeddingOptions.ImageSize"/> are not used. An image encoder needs the options'
    /// <see cref="TripletEmbeddingOptions.Backbone"/> to be the initial model's backbone (its weights are replaced by the
    /// model's). The initial model's verification threshold and gallery are not carried over: they describe the old embedding.
    /// </summary>
    /// <param name="input">New data whose input width matches the initial model's.</param>
    /// <param name="initialModel">A fitted or loaded triplet embedding; not modified.</param>
    /// <returns>The model trained further; its <see cref="OnnxModelTransformer.History"/> holds the new epochs.</returns>
    /// <exception cref="ArgumentException">The input is an image and the model an MLP encoder (or the other way round), the
    /// input width or image shape differs from the initial model's (the message names the column and both sizes), or the
    /// options' backbone is not the initial model's.</exception>
    public TripletEmbeddingModel Fit(IDataView input, TripletEmbeddingModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return Train(input, initialModel);
    }

    private TripletEmbeddingModel Train(IDataView input, TripletEmbeddingModel? initialModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_options.FeatureColumnName)
            ?? throw new ArgumentException(
                $"Feature column '{_options.FeatureColumnName}' was not found; expected an MLImage column or a known-size numeric vector. " +
                $"Set FeatureColumnName to one of the available columns: {string.Join(", ", input.Schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.",
                nameof(input));
        bool image = column.Type is ImageDataViewType || _options.Backbone is not null;
        var initial = initialModel?.Architecture;
        var o = initial is null ? _options : TripletContinuation.OptionsFor(_options, initial, image);
        bool augment = o.Augmentation.Operations.Count > 0;
        var features = image ? null : NumericColumn.Find(input.Schema, o.FeatureColumnName, role: "Feature", parameterName: nameof(input));
        ClassLabelReader.Find(input.Schema, o.LabelColumnName, parameterName: nameof(input));
        if (initial is not null && features is not null)
            TripletContinuation.CheckWidth(initial, o.FeatureColumnName, features.Width);

        // The loop runs at least one epoch; Epochs = 0 only needs its seed.
        var loopOptions = o.Copy();
        loopOptions.Epochs = Math.Max(1, o.Epochs);
        if (o.EarlyStopping is { Metric: null } stopping)
            loopOptions.EarlyStopping = new EarlyStoppingOptions
            {
                Patience = stopping.Patience, MinDelta = stopping.MinDelta, Metric = TripletEpochMonitor.MeanAveragePrecisionAtR, HigherIsBetter = true,
            };
        var loop = new NeuralTrainingLoop(_context, loopOptions, ComponentName, _seed);
        int seed = _seed;
        var (train, validationData, rowNumbers) = Split(o, input, seed);

        var classLabels = ClassLabelReader.Read(train, o.LabelColumnName, rowNumberColumn: rowNumbers);
        var labels = classLabels.Indices;
        int classCount = classLabels.ClassCount;
        if (classCount < 2)
            throw new ArgumentException(
                $"Label column '{o.LabelColumnName}' holds {classCount} class(es); triplets need at least two classes with two rows each.", nameof(input));
        var sampler = new ClassBalancedBatchSampler(labels, Math.Min(o.EffectiveClassesPerBatch, classCount), o.ExamplesPerClass,
            o.LabelColumnName, allowSingleExampleClasses: augment);
        loopOptions.BatchSize = sampler.ClassesPerBatch * sampler.ExamplesPerClass;

        IReadOnlyList<ITransformer> preprocessing = Array.Empty<ITransformer>();
        string encoderInput = o.FeatureColumnName;
        IDataView encoderData = train;
        PixelLayout? layout = null;
        if (image)
        {
            (preprocessing, encoderInput, layout) = ImageInput.Prepare(_context, train, o.FeatureColumnName, "Input", o.ImageSize,
                o.InputChannels, o.InputHeight, o.InputWidth, ResizedColumn, PixelColumn);
            if (initial is not null)
                TripletContinuation.CheckImageShape(initial, o.FeatureColumnName, layout);
            encoderData = ImageInput.Apply(preprocessing, train);
        }
        var inputs = ReadInputs(o, encoderData, encoderInput, image, rowNumbers, out int rows, out int width);
        if (!image && augment)
            layout = AugmentedVectorLayout(o, width);
        var validation = validationData is null ? null
            : TripletValidationData.Read(ImageInput.Apply(preprocessing, validationData), encoderInput, o.LabelColumnName, width,
                o.ValidationSet is null ? $"The validation split (ValidationFraction = {o.ValidationFraction.ToString(CultureInfo.InvariantCulture)}, whole identities)" : "ValidationSet",
                rowNumbers);

        loop.SeedTorch();
        using var encoder = CreateEncoder(o, image, layout, width, seed, initialModel);
        var (result, monitor) = o.Epochs == 0
            ? (null, null)
            : Run(o, loop, encoder, inputs, rows, width, labels, classCount, sampler, validation);
        var history = result is null ? TrainingHistory.Empty : new TrainingHistory([result]);
        encoder.Module.to(CPU);
        encoder.Module.eval();

        var collapseWarnings = monitor?.CollapseWarnings.ToArray() ?? [];
        var warnings = monitor?.Warnings.ToArray() ?? [];
        var description = Description(o, encoderInput, width, image ? encoder.Description : "mlp", image ? layout : null,
            image ? $"raw pixels, planar {layout!.Channels} x {layout.Height} x {layout.Width}, values 0..255; " +
                    $"resized to {o.ImageSize} x {o.ImageSize} and normalised inside the graph"
                  : "features",
            history, collapseWarnings, warnings);
        var onnx = TripletEncoderOnnx.Build(encoder.Module, encoderInput, width, o.OutputColumnName, o.EmbeddingDimension, description);
        var chain = image
            ? ImageChain(o, preprocessing, onnx, encoderInput, input, train)
            : new TransformerChain<ITransformer>([.. OnnxInputColumns.Score(_context, onnx, [o.OutputColumnName], [o.FeatureColumnName], input.Schema)]);
        var model = new TripletEmbeddingModel(_context, chain, onnx, history, encoderInput, width, o.OutputColumnName, collapseWarnings, warnings);
        _lastModel = model;
        return model;
    }

    /// <summary>A new encoder, or (continue training) one with <paramref name="initialModel"/>'s weights.</summary>
    private static TripletEncoder CreateEncoder(TripletEmbeddingOptions o, bool image, PixelLayout? layout, int width, int seed,
        TripletEmbeddingModel? initialModel)
    {
        (byte[], string)? initial = initialModel is null ? null : (initialModel.GetOnnxModel(), initialModel.Architecture.StateDictPrefix);
        if (!image)
            return TripletEncoder.Mlp(o, width, layout, seed, initial);
        try
        {
            return TripletEncoder.Image(o, o.Backbone ?? ImageBackbone.Default, layout!, seed, initial);
        }
        catch (InvalidDataException e) when (initial is not null)
        {
            throw new ArgumentException(
                $"The options' Backbone ({o.Backbone ?? ImageBackbone.Default}) does not have the initial model's architecture: {e.Message}", nameof(initialModel), e);
        }
    }

    /// <summary>Runs Core's loop over P x K batches.</summary>
    private (TrainingResult, TripletEpochMonitor) Run(TripletEmbeddingOptions o, NeuralTrainingLoop loop, TripletEncoder encoder,
        float[] inputs, int rows, int width, int[] labels, int classCount, ClassBalancedBatchSampler sampler, TripletValidationData? validation)
    {
        encoder.Module.to(loop.Device);
        using var trainSource = TripletTrainingData.Create(_context, inputs, rows, width, labels, classCount);
        using var validationSource = validation is null ? null
            : TripletTrainingData.Create(_context, validation.Inputs, validation.Rows, width, validation.Labels, validation.ClassSizes.Length);
        var monitor = new TripletEpochMonitor(_context, o, encoder, validationSource, validation);
        var position = new TrainingPosition();

        Tensor Loss(TensorBatch batch)
        {
            var embeddings = encoder.Embed(batch[TripletTrainingData.InputColumn], position.Epoch, position.Batch);
            var classes = TripletTrainingData.Classes(batch);
            var loss = TripletLoss.BatchLoss(embeddings, classes, o.Margin, o.Distance, o.Mining, o.Reduction);
            if (encoder.Module.training)
                monitor.AddBatch(CollapseDetector.Assess(embeddings.detach(), classes, o.Margin, o.Distance));
            return loss;
        }

        var result = loop.Train(encoder.Module, trainSource, validationSource, Loss, parameters: encoder.Parameters,
            callbacks: [position], batchSampler: sampler, epochMetrics: monitor.EndEpoch);
        return (result, monitor);
    }

    /// <summary>The validation rows: <see cref="NeuralTrainerOptions.ValidationSet"/>, or a seeded split of whole identities
    /// (<see cref="NeuralTrainerOptions.ValidationFraction"/>), or none. A split numbers the rows first, so messages about a
    /// row of either part name its row in the user's data (the column returned, else null: the cursor's position).</summary>
    private (IDataView Train, IDataView? Validation, string? RowNumbers) Split(TripletEmbeddingOptions o, IDataView input, int seed)
    {
        if (o.ValidationSet is not null || o.ValidationFraction <= 0)
            return (input, o.ValidationSet, null);
        var split = _context.Data.TrainTestSplit(new RowNumberedDataView(input), o.ValidationFraction, samplingKeyColumnName: o.LabelColumnName, seed: seed);
        return (split.TrainSet, split.TestSet, RowNumberedDataView.ColumnName);
    }

    /// <summary>The image shape of a raw-pixel vector that an MLP embeds and the augmentation treats as an image.</summary>
    private static PixelLayout AugmentedVectorLayout(TripletEmbeddingOptions o, int width)
    {
        var layout = PixelLayout.Infer(width, o.InputChannels, o.InputHeight, o.InputWidth);
        if (layout is null || layout.Channels is not (1 or 3))
            throw new ArgumentException(
                $"Augmentation '{o.Augmentation.Name}' needs images, but input column '{o.FeatureColumnName}' holds {width} values that are not " +
                $"C x H x W raw pixels with C = 1 or 3 for InputChannels/InputHeight/InputWidth ({o.InputChannels?.ToString(CultureInfo.InvariantCulture) ?? "?"}, " +
                $"{o.InputHeight?.ToString(CultureInfo.InvariantCulture) ?? "?"}, {o.InputWidth?.ToString(CultureInfo.InvariantCulture) ?? "?"}). " +
                "Declare the image shape, or use no Augmentation for feature vectors that are not images.", nameof(TripletEmbeddingOptions.Augmentation));
        return layout;
    }

    private TransformerChain<ITransformer> ImageChain(TripletEmbeddingOptions o, IReadOnlyList<ITransformer> preprocessing, byte[] onnx,
        string pixelColumn, IDataView input, IDataView train)
    {
        var pixelData = ImageInput.Apply(preprocessing, train);
        var transformers = new List<ITransformer>(preprocessing);
        var apply = OnnxTransformerFactory.Create(_context, onnx, [o.OutputColumnName], [pixelColumn], pixelData.Schema);
        transformers.Add(apply);
        var scored = apply.Transform(pixelData);
        var temporary = new[] { ResizedColumn, PixelColumn }
            .Where(c => scored.Schema.GetColumnOrNull(c) is not null && c != o.OutputColumnName && input.Schema.GetColumnOrNull(c) is null).ToArray();
        if (temporary.Length > 0)
            transformers.Add(_context.Transforms.DropColumns(temporary).Fit(scored));
        return new TransformerChain<ITransformer>(transformers.ToArray());
    }

    /// <summary>Reads the encoder's input vectors (any numeric type, as floats; NaN or infinity names the column, the user's
    /// row and the slot); for images a decoding failure names the input column.</summary>
    private float[] ReadInputs(TripletEmbeddingOptions o, IDataView data, string column, bool image, string? rowNumbers, out int rows, out int width)
    {
        float[] Read(out int count, out int size)
        {
            var numeric = NumericColumn.Find(data.Schema, column, role: image ? "Input" : "Feature", parameterName: "input");
            size = numeric.Width;
            return ColumnMatrix.ReadFloats(data, [numeric], out count, rowNumberColumn: rowNumbers)[0];
        }

        if (!image)
            return Read(out rows, out width);
        var (pixels, r, w) = ImageInput.ReadImages(o.FeatureColumnName, "the images of input column", () =>
        {
            var values = Read(out int count, out int size);
            return (values, count, size);
        });
        rows = r;
        width = w;
        return pixels;
    }

    /// <summary>The encoder graph's mlnetext.* metadata (docs/onnx-metadata.md): kind, input and output, architecture,
    /// history and the training warnings.</summary>
    private static OnnxModelDescription Description(TripletEmbeddingOptions o, string inputName, int width, string encoder, PixelLayout? layout,
        string inputMeaning, TrainingHistory history, string[] collapseWarnings, string[] warnings)
    {
        var architecture = new TripletArchitecture(layout is null ? TripletArchitecture.MlpNetwork : TripletArchitecture.ImageNetwork, encoder,
            width, o.EmbeddingDimension, layout is null ? o.HiddenLayers : o.ProjectionHiddenLayers, o.Activation.ToString(),
            layout?.Channels, layout?.Height, layout?.Width, layout is null ? null : o.ImageSize, "encoder.");
        return new OnnxModelDescription(TripletEmbeddingModel.Kind, [new(inputName, "float", [-1, width], inputMeaning)],
            [new(o.OutputColumnName, "float", [-1, o.EmbeddingDimension], "L2-normalised embedding")],
            MetadataJson.Serialize(architecture), history)
        {
            Extras = new Dictionary<string, string>
            {
                [TripletEmbeddingModel.CollapseWarningsKey] = MetadataJson.Serialize(collapseWarnings),
                [TripletEmbeddingModel.WarningsKey] = MetadataJson.Serialize(warnings),
            },
        };
    }

    /// <summary>Adds the float-vector embedding column (image input: checks the column is an image or a float vector).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var column = inputSchema.FirstOrDefault(c => c.Name == _options.FeatureColumnName);
        if (column.Name is null)
            throw new ArgumentException($"Input column '{_options.FeatureColumnName}' was not found in the input schema.", nameof(inputSchema));
        if (column.ItemType is ImageDataViewType)
        {
            // A float vector output described by standard estimators (no internal SchemaShape constructors needed).
            return _context.Transforms.ResizeImages(ResizedColumn, _options.ImageSize, _options.ImageSize, _options.FeatureColumnName)
                .Append(_context.Transforms.ExtractPixels(_options.OutputColumnName, ResizedColumn))
                .Append(_context.Transforms.DropColumns(ResizedColumn))
                .GetOutputSchema(inputSchema);
        }
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || !NumericColumn.IsNumeric(column.ItemType))
            throw new ArgumentException(
                $"Feature column '{_options.FeatureColumnName}' must be an MLImage column or a known-size numeric vector (Single, Double, an integer type " +
                $"or Boolean), found {column.ItemType} ({column.Kind}).",
                nameof(inputSchema));
        return _context.Transforms.CopyColumns(_options.OutputColumnName, _options.FeatureColumnName).GetOutputSchema(inputSchema);
    }

    /// <summary>Tracks the loop's epoch and batch for the augmenter's draws.</summary>
    private sealed class TrainingPosition : ITrainingCallback
    {
        private TrainingContext? _context;

        public int Epoch => _context?.Epoch ?? 0;

        public int Batch => _context?.Batch ?? 0;

        public void OnTrainBegin(TrainingContext context) => _context = context;
    }
}
