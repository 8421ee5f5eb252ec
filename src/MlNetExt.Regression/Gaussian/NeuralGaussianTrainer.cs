using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Regression that predicts its own uncertainty: an MLP with a mean head and a standard deviation head, trained on
/// the Gaussian negative log-likelihood (optionally beta-NLL, after an optional squared-error warm-up of the mean).
/// Labels and features are standardised on the training data inside the model. <see cref="Fit(IDataView)"/> returns a
/// <see cref="NeuralGaussianTransformer"/>: standard ML.NET transformers around one exported ONNX graph, writing the mean to
/// <see cref="NeuralGaussianOptions.ScoreColumnName"/> and the standard deviation to
/// <see cref="NeuralGaussianOptions.StdDevColumnName"/> (Single for a Single label, so Regression.Evaluate works;
/// vectors of the label's size for a vector label, one standard deviation per coordinate).
/// </summary>
public sealed class NeuralGaussianTrainer : IEstimator<NeuralGaussianTransformer>
{
    private const string ComponentName = "NeuralGaussian";
    private const string MeanVectorColumn = "NeuralGaussian.Mean";
    private const string StdDevVectorColumn = "NeuralGaussian.StdDev";

    private readonly MLContext _context;
    private readonly NeuralGaussianOptions _options;
    private readonly int _seed;

    /// <summary>A trainer that uses <paramref name="context"/> for its seed (when <see cref="NeuralTrainerOptions.Seed"/>
    /// is null, drawn now, so fitting the trainer twice gives the same model), log and ONNX scoring settings.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">The options.</param>
    public NeuralGaussianTrainer(MLContext context, NeuralGaussianOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _context = context;
        _options = options;
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted model.</summary>
    /// <param name="input">Training data: a known-size numeric vector of features and a numeric label (Single, Double, an
    /// integer type or Boolean, the label scalar or known-size vector; read as floats, and features converted to Single
    /// for the exported graph).</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data is empty.</exception>
    /// <exception cref="InvalidDataException">A label or feature is NaN or infinite (names column and row).</exception>
    public NeuralGaussianTransformer Fit(IDataView input)
    {
        var (model, network) = FitWithNetwork(input);
        network.Module.Dispose();   // the returned model scores with ONNX Runtime; the TorchSharp weights are no longer needed
        return model;
    }

    /// <summary>
    /// Continues training <paramref name="initialModel"/> on <paramref name="input"/> (ML.NET's retraining shape): the
    /// network is rebuilt from the model's architecture and weights, with the model's feature and label standardisation
    /// (a model loaded with <c>mlContext.DeepLearning().Model.Load&lt;NeuralGaussianTransformer&gt;</c> works too), and
    /// trained with this trainer's options (warm-up, beta, epochs); its shape (hidden layers, activation, standard
    /// deviation floor) is the initial model's.
    /// </summary>
    /// <param name="input">New training data with the initial model's feature and label widths.</param>
    /// <param name="initialModel">The model to start from.</param>
    /// <exception cref="ArgumentException">The feature or label width differs from the initial model's; the message names the column and both sizes.</exception>
    public NeuralGaussianTransformer Fit(IDataView input, NeuralGaussianTransformer initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        var (model, network) = FitWithNetwork(input, initialModel);
        network.Module.Dispose();
        return model;
    }

    /// <summary>Fit, also returning the trained TorchSharp network (for parity checks).</summary>
    internal (NeuralGaussianTransformer Model, GaussianNetwork Network) FitWithNetwork(IDataView input, NeuralGaussianTransformer? initialModel = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        int labelWidth = CheckColumns(input.Schema, out bool labelIsVector);
        if (o.ValidationSet is not null)
            CheckValidationColumns(o.ValidationSet.Schema, labelWidth);

        var loop = new NeuralTrainingLoop(_context, o, ComponentName, _seed);
        TensorColumnSpec[] columns = [new(o.FeatureColumnName), new(o.LabelColumnName) { ExpectedWidth = labelWidth }];
        var (train, validation) = TrainingDataSplit.Create(_context, input, o, columns, loop.Seed);
        GaussianStandardization scaling;
        GaussianMlp module;
        GaussianArchitecture architecture;
        TrainingHistory history;
        using (train)
        using (validation)
        {
            int featureCount = train.Width(o.FeatureColumnName);
            if (initialModel is null)
            {
                scaling = GaussianStandardization.Compute(train, o.FeatureColumnName, o.LabelColumnName);
                foreach (var warning in scaling.ExtremeLabelWarnings)
                    loop.Warn(warning);
                loop.SeedTorch();
                architecture = new GaussianArchitecture(GaussianArchitecture.NetworkName, featureCount, labelWidth, o.HiddenLayers.ToArray(),
                    o.Activation, o.MinStdDev, "");
                module = architecture.Build().Module;
            }
            else
            {
                architecture = ContinuedArchitecture(initialModel, featureCount, labelWidth);
                loop.SeedTorch();
                var rebuilt = architecture.Build(OnnxModelReader.Parse(initialModel.GetOnnxModel()));
                (module, scaling) = (rebuilt.Module, rebuilt.Scaling!);
            }
            module.to(loop.Device);
            history = new TrainingHistory(TrainNetwork(loop, module, scaling, train, validation));
        }

        bool split = labelIsVector && labelWidth > 1;
        var onnx = GaussianOnnxExport.Export(module, scaling, architecture, history, o.FeatureColumnName, MeanVectorColumn, StdDevVectorColumn, split);
        var chain = split ? BuildVectorScoringChain(onnx, input) : BuildScoringChain(onnx, input, labelIsVector);
        var portable = GaussianOnnxExport.Export(module, scaling, architecture, history, o.FeatureColumnName,
            NeuralGaussianTransformer.OnnxMeanOutputName, NeuralGaussianTransformer.OnnxStdDevOutputName);
        var model = new NeuralGaussianTransformer(chain, portable, history, architecture, o.FeatureColumnName);
        return (model, new GaussianNetwork(module, scaling));
    }

    private GaussianArchitecture ContinuedArchitecture(NeuralGaussianTransformer initialModel, int featureCount, int labelWidth)
    {
        var architecture = initialModel.Architecture;
        InitialModelWidths.Check(_options.FeatureColumnName, featureCount, architecture.Features, _options.LabelColumnName, labelWidth, architecture.Outputs);
        return architecture;
    }

    private IReadOnlyList<TrainingResult> TrainNetwork(NeuralTrainingLoop loop, GaussianMlp module, GaussianStandardization scaling,
        DataViewTensorSource train, DataViewTensorSource? validation)
    {
        var o = _options;
        var device = loop.Device;
        var history = new List<TrainingResult>();
        // Long-lived constants, outside any dispose scope; disposed when training ends.
        using var featureMean = tensor(scaling.FeatureMean).to(device);
        using var featureScale = tensor(scaling.FeatureScale).to(device);
        using var labelMean = tensor(scaling.LabelMean).to(device);
        using var labelScale = tensor(scaling.LabelScale).to(device);
        using var logLabelScale = labelScale.log();

        (Tensor X, Tensor Y) Standardise(TensorBatch batch) =>
            ((batch[o.FeatureColumnName] - featureMean) / featureScale, (batch[o.LabelColumnName] - labelMean) / labelScale);

        if (o.MeanWarmupEpochs > 0)
        {
            history.Add(loop.Train(module, train, validation, batch =>
            {
                var (x, y) = Standardise(batch);
                var (mean, _) = module.forward(x);
                return (mean - y).Squared().mean();
            }, stage: "mean warm-up", epochs: o.MeanWarmupEpochs, parameters: [new ParameterGroup(module.MeanParameters())]));
        }

        int likelihoodEpochs = o.Epochs - o.MeanWarmupEpochs;
        if (likelihoodEpochs > 0)
        {
            history.Add(loop.Train(module, train, validation, batch =>
            {
                var (x, y) = Standardise(batch);
                var (mean, stdDev) = module.forward(x);
                return GaussianLoss.BetaNegativeLogLikelihood(mean, stdDev, y, logLabelScale, o.Beta);
            }, stage: o.Beta == 0 ? "gaussian nll" : "beta-nll", epochs: likelihoodEpochs,
            validationMetrics: batch =>
            {
                var (x, y) = Standardise(batch);
                var (mean, stdDev) = module.forward(x);
                double nll = GaussianLoss.NegativeLogLikelihood(mean, stdDev, y).PlusInPlace(logLabelScale).mean().item<float>();
                double mse = (mean - y).mul_(labelScale).Squared().mean().item<float>();
                return new Dictionary<string, double> { ["nll"] = nll, ["mse"] = mse };
            }));
        }
        module.eval();
        return history;
    }

    private TransformerChain<ITransformer> BuildScoringChain(byte[] onnx, IDataView input, bool labelIsVector)
    {
        var o = _options;
        var onnxTransformers = OnnxInputColumns.Score(_context, onnx, [MeanVectorColumn, StdDevVectorColumn], [o.FeatureColumnName], input.Schema);
        var scored = new SchemaOnlyDataView(OnnxInputColumns.OutputSchema(onnxTransformers, input.Schema));
        if (labelIsVector)
        {
            // A vector label of size 1: the columns stay [1, 1]-shaped vectors (see GaussianOnnxExport).
            var rename = _context.Transforms.CopyColumns(o.ScoreColumnName, MeanVectorColumn)
                .Append(_context.Transforms.CopyColumns(o.StdDevColumnName, StdDevVectorColumn))
                .Append(_context.Transforms.DropColumns(MeanVectorColumn, StdDevVectorColumn))
                .Fit(scored);
            return new TransformerChain<ITransformer>([.. onnxTransformers, rename]);
        }

        var schema = scored.Schema;
        // VectorToScalar writes through "Score": convert the standard deviation first, so the mean is what "Score" ends with.
        var stdDevScalar = OnnxTransformerFactory.VectorToScalar(_context, o.StdDevColumnName, StdDevVectorColumn, schema);
        schema = stdDevScalar.GetOutputSchema(schema);
        var meanScalar = OnnxTransformerFactory.VectorToScalar(_context, o.ScoreColumnName, MeanVectorColumn, schema);
        // Fitting DropColumns reads no rows: the lazily transformed input only provides the schema.
        var drop = _context.Transforms.DropColumns(MeanVectorColumn, StdDevVectorColumn)
            .Fit(meanScalar.Transform(stdDevScalar.Transform(scored)));
        return new TransformerChain<ITransformer>([.. onnxTransformers, stdDevScalar, meanScalar, drop]);
    }

    /// <summary>Vector labels of two or more coordinates: Concatenate the split ONNX outputs into plain vectors of size k.</summary>
    private TransformerChain<ITransformer> BuildVectorScoringChain(byte[] onnx, IDataView input)
    {
        var o = _options;
        string[] parts = [MeanVectorColumn + ".0", MeanVectorColumn + ".rest", StdDevVectorColumn + ".0", StdDevVectorColumn + ".rest"];
        var onnxTransformers = OnnxInputColumns.Score(_context, onnx, parts, [o.FeatureColumnName], input.Schema);
        var assemble = _context.Transforms.Concatenate(o.ScoreColumnName, parts[0], parts[1])
            .Append(_context.Transforms.Concatenate(o.StdDevColumnName, parts[2], parts[3]))
            .Append(_context.Transforms.DropColumns(parts))
            .Fit(new SchemaOnlyDataView(OnnxInputColumns.OutputSchema(onnxTransformers, input.Schema)));
        return new TransformerChain<ITransformer>([.. onnxTransformers, assemble]);
    }

    /// <summary>The input schema plus the mean and standard deviation columns: Single for a scalar label, vectors of Single
    /// of the label's size for a vector label.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var o = _options;
        var label = inputSchema.FirstOrDefault(c => c.Name == o.LabelColumnName);
        if (label.Name is null)
            throw new ArgumentException($"Label column '{o.LabelColumnName}' was not found in the input schema.", nameof(inputSchema));
        if (!inputSchema.Any(c => c.Name == o.FeatureColumnName))
            throw new ArgumentException($"Feature column '{o.FeatureColumnName}' was not found in the input schema.", nameof(inputSchema));
        if (label.ItemType is not (NumberDataViewType or BooleanDataViewType) || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
            throw new ArgumentException(
                $"Label column '{o.LabelColumnName}' must be a numeric scalar or known-size vector (Single, Double, an integer type or Boolean); "
                + $"found {label.ItemType} ({label.Kind}).", nameof(inputSchema));
        // The outputs have the label's shape, as Single: ConvertType describes exactly that with public API.
        return _context.Transforms.Conversion.ConvertType(o.ScoreColumnName, o.LabelColumnName, DataKind.Single)
            .Append(_context.Transforms.Conversion.ConvertType(o.StdDevColumnName, o.LabelColumnName, DataKind.Single))
            .GetOutputSchema(inputSchema);
    }

    /// <summary>Checks the feature and label columns; returns the label's width.</summary>
    private int CheckColumns(DataViewSchema schema, out bool labelIsVector)
    {
        var o = _options;
        var features = NumericColumn.Find(schema, o.FeatureColumnName, role: "Feature", parameterName: "input");
        if (!features.IsVector)
            throw new ArgumentException(
                $"Feature column '{o.FeatureColumnName}' must be a known-size vector ({NumericColumn.AcceptedTypes}), but is {features.Column.Type} "
                + "(use Transforms.Concatenate to make a vector).", "input");
        var label = NumericColumn.Find(schema, o.LabelColumnName, role: "Label", parameterName: "input");
        labelIsVector = label.IsVector;
        return label.Width;
    }

    private void CheckValidationColumns(DataViewSchema schema, int labelWidth)
    {
        var o = _options;
        int width;
        try { width = CheckColumns(schema, out _); }
        catch (ArgumentException e) { throw new ArgumentException("ValidationSet: " + e.Message, nameof(NeuralGaussianOptions.ValidationSet), e); }
        if (width != labelWidth)
            throw new ArgumentException(
                $"ValidationSet: label column '{o.LabelColumnName}' has {width} value(s) per row but the training label has {labelWidth}.",
                nameof(NeuralGaussianOptions.ValidationSet));
    }

    private static void Validate(NeuralGaussianOptions o)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(o.LabelColumnName, nameof(o.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(o.FeatureColumnName, nameof(o.FeatureColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(o.ScoreColumnName, nameof(o.ScoreColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(o.StdDevColumnName, nameof(o.StdDevColumnName));
        if (o.ScoreColumnName == o.StdDevColumnName)
            throw new ArgumentException($"ScoreColumnName and StdDevColumnName must differ (both are '{o.ScoreColumnName}').", nameof(o.StdDevColumnName));
        if (o.StdDevColumnName == "Score")
            throw new ArgumentException("StdDevColumnName cannot be 'Score': that name carries the predicted mean.", nameof(o.StdDevColumnName));
        ArgumentNullException.ThrowIfNull(o.HiddenLayers, nameof(o.HiddenLayers));
        foreach (var size in o.HiddenLayers)
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(o.HiddenLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Epochs, 1, nameof(o.Epochs));
        if (o.MeanWarmupEpochs < 0 || o.MeanWarmupEpochs > o.Epochs)
            throw new ArgumentOutOfRangeException(nameof(o.MeanWarmupEpochs), o.MeanWarmupEpochs,
                $"MeanWarmupEpochs must be between 0 and Epochs ({o.Epochs}).");
        if (!(o.Beta >= 0 && o.Beta <= 1))
            throw new ArgumentOutOfRangeException(nameof(o.Beta), o.Beta, "Beta must be between 0 and 1.");
        if (!(o.MinStdDev > 0 && float.IsFinite(o.MinStdDev)))
            throw new ArgumentOutOfRangeException(nameof(o.MinStdDev), o.MinStdDev, "MinStdDev must be positive and finite.");
    }
}
