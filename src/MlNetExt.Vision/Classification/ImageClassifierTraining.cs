using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.ImageAugmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Trains an <see cref="ImageClassifierNetwork"/> on preprocessed pixel vectors with the chosen transfer strategy,
/// using Core's training loop (validation, early stopping, progress) for every stage.
/// </summary>
internal static class ImageClassifierTraining
{
    /// <summary>Stage name of head-only training.</summary>
    public const string HeadStage = "head";

    /// <summary>Stage name of whole-network training.</summary>
    public const string FineTuneStage = "fine-tune";

    /// <summary>
    /// Trains and returns the network (eval mode), its architecture and the history of every stage.
    /// </summary>
    /// <param name="context">ML.NET context.</param>
    /// <param name="options">Options; ValidationSet, when set, already holds the pixel column.</param>
    /// <param name="componentName">The trainer's name (its log messages).</param>
    /// <param name="seed">The seed resolved when the trainer was created.</param>
    /// <param name="data">Training data with the pixel column and the label column.</param>
    /// <param name="pixelColumn">Float vector column of raw pixels.</param>
    /// <param name="layout">Layout of the pixel vectors.</param>
    /// <param name="labelSpec">How the label column is read (a key index, or a 0/1 float for binary).</param>
    /// <param name="classCount">Number of classes (2 for binary).</param>
    /// <param name="binary">Binary classification: one logit.</param>
    /// <param name="initialModel">Continue training this model's network (null: a new network from the options).</param>
    public static (ImageClassifierNetwork Network, ImageClassifierArchitecture Architecture, TrainingHistory History) Train(MLContext context,
        ImageClassifierOptions options, string componentName, int seed, IDataView data, string pixelColumn, PixelLayout layout,
        TensorColumnSpec labelSpec, int classCount, bool binary, ImageClassifierModel? initialModel)
    {
        // The loop checks Epochs >= 1; every stage passes its own epoch count, resolved below from the data size.
        var loopOptions = options.Copy();
        loopOptions.Epochs = Math.Max(1, options.Epochs);
        var loop = new NeuralTrainingLoop(context, loopOptions, componentName, seed);
        TensorColumnSpec[] columns = [new TensorColumnSpec(pixelColumn) { ExpectedWidth = layout.Length }, labelSpec];
        Tensor ClassesOf(TensorBatch b) => labelSpec.Kind == TensorColumnKind.KeyIndex
            ? b[labelSpec.Name]
            : b[labelSpec.Name].reshape(-1).round().to_type(ScalarType.Int64);

        var (train, validation) = ReadData(context, data, options, columns, loop.Seed);
        using (train)
        using (validation)
        {
            var counts = CountClasses(train, ClassesOf, classCount, options.BatchSize, options.CancellationToken);
            int totalEpochs = options.EffectiveEpochs(counts.Sum());
            if (counts.Count(n => n > 0) < 2)
                throw new ArgumentException(
                    $"Label column '{labelSpec.Name}' holds a single class in the training data; an image classifier needs at least two.", nameof(data));
            var balancing = options.EffectiveClassBalancing;
            var loss = new ClassificationLoss(binary, ClassWeights(options, balancing, counts), options.LabelSmoothing);

            loop.SeedTorch();
            var (network, architecture) = CreateNetwork(options, layout, binary ? 1 : classCount, initialModel);
            try
            {
                network.to(loop.Device);
                network.eval();
                var augmenter = options.Augmentation.Operations.Count == 0 ? null : new BatchAugmenter(options.Augmentation, loop.Seed);
                var epochs = new EpochCounter();
                var history = new List<TrainingResult>();
                int headEpochs = options.Strategy switch
                {
                    TransferStrategy.Frozen => totalEpochs,
                    TransferStrategy.Staged => Math.Clamp(options.HeadEpochs ?? Math.Max(1, totalEpochs / 2), 1, totalEpochs),
                    _ => 0,
                };
                bool resample = balancing == ClassBalancing.Resampling;
                // Resampling of the pixels themselves (the cached-feature path resamples the features instead).
                using var resampled = resample && (headEpochs < totalEpochs || augmenter is not null)
                    ? ResampledTrainingData.Create(context, train, ClassesOf, classCount, loop.Seed, epochs)
                    : null;
                var pixelSource = resampled?.Tickets ?? train;
                TensorBatch Rows(TensorBatch b) => resampled is null ? b : resampled.Resolve(b, loop.Device);

                if (headEpochs > 0)
                {
                    history.Add(TrainHead(context, loop, options, network, train, validation, pixelColumn, ClassesOf, loss, augmenter,
                        epochs, headEpochs, resample, resampled, classCount));
                }

                int fineTuneEpochs = totalEpochs - headEpochs;
                if (fineTuneEpochs > 0)
                {
                    var groups = new List<ParameterGroup>
                    {
                        new(network.Backbone.parameters(), options.EffectiveBackboneLearningRateMultiplier),
                        new(network.Head.parameters()),
                    };
                    var result = loop.Train(network, pixelSource, validation,
                        b =>
                        {
                            var r = Rows(b);
                            return loss.Compute(Forward(network, r[pixelColumn], ClassesOf(r), augmenter, epochs), ClassesOf(r));
                        },
                        FineTuneStage, fineTuneEpochs, groups, [epochs],
                        b => Accuracy(loss, network.call(b[pixelColumn]), ClassesOf(b)));
                    history.Add(result);
                }

                network.eval();
                return (network, architecture, new TrainingHistory(history));
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }

    /// <summary>A new network from the options, or the initial model's network (its architecture, its weights).</summary>
    private static (ImageClassifierNetwork Network, ImageClassifierArchitecture Architecture) CreateNetwork(ImageClassifierOptions options,
        PixelLayout layout, int outputs, ImageClassifierModel? initialModel)
    {
        if (initialModel is not null)
            return (initialModel.CreateNetwork(layout), initialModel.Architecture with { Channels = layout.Channels, Height = layout.Height, Width = layout.Width });
        var backbone = options.Backbone.Create();
        try
        {
            var (mean, std) = options.Backbone.Normalisation();
            var head = ClassifierHead.Create(backbone.FeatureDimension, options.HeadHiddenLayers, options.Dropout, outputs);
            var architecture = ImageClassifierArchitecture.Of(options.Backbone.Spec, options.Backbone.PixelScaling, options.HeadHiddenLayers,
                options.Dropout, outputs, layout, options.ImageSize);
            return (new ImageClassifierNetwork(backbone, head, layout, options.ImageSize, mean, std), architecture);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>Reads the pixels and labels; a failure while decoding images (a missing or corrupt file) names the image column.</summary>
    private static (DataViewTensorSource Train, DataViewTensorSource? Validation) ReadData(MLContext context, IDataView data,
        ImageClassifierOptions options, TensorColumnSpec[] columns, int seed) =>
        ImageInput.ReadImages(data, options.FeatureColumnName, "the training images of column",
            () => TrainingDataSplit.Create(context, data, options, columns, seed), options.LabelColumnName);

    /// <summary>Head-only training: on cached features without augmentation, else on features of augmented batches computed under no_grad.</summary>
    private static TrainingResult TrainHead(MLContext context, NeuralTrainingLoop loop, ImageClassifierOptions options,
        ImageClassifierNetwork network, DataViewTensorSource train, DataViewTensorSource? validation, string pixelColumn,
        Func<TensorBatch, Tensor> classesOf, ClassificationLoss loss, BatchAugmenter? augmenter, EpochCounter epochs, int headEpochs,
        bool resample, ResampledTrainingData? resampledPixels, int classCount)
    {
        var head = network.Head;
        IReadOnlyList<ParameterGroup> headParameters = [new ParameterGroup(head.parameters(), options.HeadLearningRateMultiplier)];
        if (augmenter is null)
        {
            using var cachedTrain = CachedFeatures.Create(context, network, train, pixelColumn, classesOf, options.BatchSize, loop.Device,
                options.MaxInMemoryBytes, options.CancellationToken);
            using var cachedValidation = validation is null ? null
                : CachedFeatures.Create(context, network, validation, pixelColumn, classesOf, options.BatchSize, loop.Device, options.MaxInMemoryBytes,
                    options.CancellationToken);
            Tensor Classes(TensorBatch b) => b[CachedFeatures.ClassColumn].reshape(-1).round().to_type(ScalarType.Int64);
            using var resampled = !resample ? null
                : ResampledTrainingData.Create(context, cachedTrain, Classes, classCount, loop.Seed, epochs);
            TensorBatch Rows(TensorBatch b) => resampled is null ? b : resampled.Resolve(b, loop.Device);
            var result = loop.Train(head, resampled?.Tickets ?? cachedTrain, cachedValidation,
                b => { var r = Rows(b); return loss.Compute(head.call(r[CachedFeatures.FeatureColumn]), Classes(r)); }, HeadStage, headEpochs, headParameters, [epochs],
                b => Accuracy(loss, head.call(b[CachedFeatures.FeatureColumn]), Classes(b)));
            return result;
        }

        TensorBatch PixelRows(TensorBatch b) => resampledPixels is null ? b : resampledPixels.Resolve(b, loop.Device);
        var frozen = loop.Train(head, resampledPixels?.Tickets ?? train, validation,
            b =>
            {
                var r = PixelRows(b);
                return loss.Compute(head.call(FrozenFeatures(network, r[pixelColumn], classesOf(r), augmenter, epochs, head.training)), classesOf(r));
            },
            HeadStage, headEpochs, headParameters, [epochs],
            b => Accuracy(loss, head.call(FrozenFeatures(network, b[pixelColumn], classesOf(b), null, epochs, false)), classesOf(b)));
        return frozen;
    }

    private static Tensor FrozenFeatures(ImageClassifierNetwork network, Tensor pixels, Tensor classes, BatchAugmenter? augmenter,
        EpochCounter epochs, bool training)
    {
        using var noGrad = no_grad();
        network.Backbone.eval();
        var images = network.ToImages(pixels);
        if (training && augmenter is not null)
            images = augmenter.Apply(images, epochs.Current, classes);
        return network.Features(network.Normalize(images));
    }

    private static Tensor Forward(ImageClassifierNetwork network, Tensor pixels, Tensor classes, BatchAugmenter? augmenter, EpochCounter epochs)
    {
        if (!network.training || augmenter is null)
            return network.call(pixels);
        Tensor images;
        using (no_grad())
            images = augmenter.Apply(network.ToImages(pixels), epochs.Current, classes);
        return network.Logits(network.Normalize(images));
    }

    private static IReadOnlyDictionary<string, double> Accuracy(ClassificationLoss loss, Tensor logits, Tensor classes) =>
        new Dictionary<string, double> { ["accuracy"] = loss.Correct(logits, classes) / Math.Max(1, classes.shape[0]) };

    private static long[] CountClasses(DataViewTensorSource train, Func<TensorBatch, Tensor> classesOf, int classCount, int batchSize,
        CancellationToken cancellation)
    {
        var counts = new long[classCount];
        foreach (var batch in train.GetBatches(Math.Max(batchSize, 256), shuffle: false, seed: 0))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (long c in classesOf(batch).data<long>())
                {
                    if (c < 0 || c >= classCount)
                        throw new InvalidDataException($"Label value with class index {c} is outside 0..{classCount - 1}.");
                    counts[c]++;
                }
            }
        }
        return counts;
    }

    private static float[]? ClassWeights(ImageClassifierOptions options, ClassBalancing balancing, long[] counts)
    {
        if (options.ClassWeights is { } given)
        {
            if (given.Count != counts.Length)
                throw new ArgumentException($"ClassWeights has {given.Count} values; the label has {counts.Length} classes.", nameof(options));
            if (given.Any(w => !(w >= 0) || !float.IsFinite(w)))
                throw new ArgumentException("ClassWeights must be finite and non-negative.", nameof(options));
            return given.ToArray();
        }
        if (balancing != ClassBalancing.LossWeights)
            return null;
        long total = counts.Sum();
        int present = counts.Count(n => n > 0);
        return counts.Select(n => n == 0 ? 0f : (float)(total / (double)(present * n))).ToArray();
    }
}
