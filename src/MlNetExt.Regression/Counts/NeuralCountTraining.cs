using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>What the shared count-training code fits: the likelihood (or loss) and the component name for logs.</summary>
internal enum CountModelKind { Poisson, SquaredError, NegativeBinomial }

/// <summary>Trains a <see cref="CountNetwork"/> on an IDataView and wraps the exported network in standard transformers.</summary>
internal static class NeuralCountTraining
{
    private const string ExposureLogName = "log_exposure";

    public static void ValidateOptions(NeuralCountTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FeatureColumnName, nameof(options.FeatureColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ScoreColumnName, nameof(options.ScoreColumnName));
        if (options.HiddenLayers == null || options.HiddenLayers.Any(h => h <= 0))
            throw new ArgumentOutOfRangeException(nameof(options), "HiddenLayers must be a (possibly empty) array of positive layer sizes.");
        if (!(options.Dropout >= 0 && options.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"Dropout must be in [0, 1); found {options.Dropout}.");
        if (options is NeuralNegativeBinomialOptions nb && !(nb.InitialDispersion > 0 && float.IsFinite(nb.InitialDispersion)))
            throw new ArgumentOutOfRangeException(nameof(options), $"InitialDispersion must be positive and finite; found {nb.InitialDispersion}.");
        if (options.ExposureColumnName is string e && (e == options.FeatureColumnName || e == options.LabelColumnName))
            throw new ArgumentException($"ExposureColumnName '{e}' must differ from the feature and label columns.", nameof(options));
    }

    /// <summary>The output shape: the score column has the label's shape, as floats.</summary>
    public static SchemaShape OutputSchema(MLContext context, SchemaShape inputSchema, NeuralCountTrainerOptions options)
    {
        foreach (var name in new[] { options.FeatureColumnName, options.LabelColumnName }.Concat(options.ExposureColumnName is string e ? new[] { e } : Array.Empty<string>()))
        {
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentException($"Column '{name}' was not found in the input schema.", nameof(inputSchema));
        }
        return context.Transforms.Conversion.ConvertType(options.ScoreColumnName, options.LabelColumnName, DataKind.Single).GetOutputSchema(inputSchema);
    }

    public static CountRegressionTransformer Fit(MLContext context, IDataView input, NeuralCountTrainerOptions options, CountModelKind kind, string componentName)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateOptions(options);
        var labelColumn = input.Schema.GetColumnOrNull(options.LabelColumnName)
            ?? throw new ArgumentException($"Label column '{options.LabelColumnName}' was not found. Available columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.", nameof(input));
        bool scalarLabel = labelColumn.Type is not VectorDataViewType;

        var specs = new List<TensorColumnSpec>
        {
            new(options.FeatureColumnName),
            new(options.LabelColumnName) { Validate = CountProblem },
        };
        if (options.ExposureColumnName is string exposureName)
            specs.Add(new TensorColumnSpec(exposureName) { Validate = v => v > 0 ? null : "is not a positive exposure", ExpectedWidth = 1 });

        var loop = new NeuralTrainingLoop(context, options, componentName);
        var (train, validation) = TrainingDataSplit.Create(context, input, options, specs, loop.Seed);
        using var trainSource = train;
        using var validationSource = validation;
        int featureCount = train.Width(options.FeatureColumnName);
        int outputs = train.Width(options.LabelColumnName);
        if (options.ExposureColumnName is string ex && train.Width(ex) != 1)
            throw new ArgumentException($"Exposure column '{ex}' must be a scalar; found {train.Width(ex)} values per row.", nameof(input));

        var stats = TrainingStatistics.Compute(train, options.FeatureColumnName, options.LabelColumnName, options.ExposureColumnName);
        foreach (var warning in stats.ExtremeCountWarnings(options.LabelColumnName, !scalarLabel))
            loop.Warn(warning);
        float[] mean = options.StandardizeFeatures ? stats.FeatureMean : new float[featureCount];
        float[] scale = options.StandardizeFeatures ? stats.FeatureScale : Enumerable.Repeat(1f, featureCount).ToArray();

        loop.SeedTorch();
        using var network = new CountNetwork(featureCount, outputs, options.HiddenLayers, options.Activation, options.Dropout, mean, scale, stats.InitialLogRate);
        network.to(loop.Device);
        TorchSharp.Modules.Parameter? dispersionRaw = null;
        if (kind == CountModelKind.NegativeBinomial)
        {
            // α = softplus(ρ)  <=>  ρ = ln(exp(α) - 1)
            double alpha0 = ((NeuralNegativeBinomialOptions)options).InitialDispersion;
            float rho = (float)Math.Log(Math.Exp(alpha0) - 1);
            dispersionRaw = new TorchSharp.Modules.Parameter(empty(outputs, device: loop.Device).FillInPlace(rho));
            network.register_parameter("dispersion_raw", dispersionRaw);
        }

        Tensor LogMu(TensorBatch batch)
        {
            var logMu = network.LogRate(batch[options.FeatureColumnName]);
            return options.ExposureColumnName is string e ? logMu.Plus(batch[e].log()) : logMu;
        }
        Tensor Loss(TensorBatch batch)
        {
            var logMu = LogMu(batch);
            var k = batch[options.LabelColumnName];
            return kind switch
            {
                CountModelKind.Poisson => CountLosses.Poisson(logMu, k),
                CountModelKind.SquaredError => CountLosses.SquaredError(logMu, k),
                _ => CountLosses.NegativeBinomial(logMu, k, dispersionRaw!.Softplus().Plus(1e-8)),
            };
        }

        // The dispersion is one number per output that may have far to travel: it learns 10x faster than the weights.
        IReadOnlyList<ParameterGroup>? groups = dispersionRaw is null ? null : new[]
        {
            new ParameterGroup(network.parameters().Where(p => !ReferenceEquals(p, dispersionRaw))),
            new ParameterGroup(new[] { dispersionRaw }, learningRateMultiplier: 10f),
        };
        var result = loop.Train(network, train, validation, Loss, parameters: groups);
        network.eval();
        network.to(CPU);

        float[]? dispersion = null;
        if (dispersionRaw is not null)
        {
            using var scope = NewDisposeScope();
            dispersion = dispersionRaw.detach().cpu().Softplus().data<float>().ToArray();
        }

        string onnxOutput = scalarLabel ? options.ScoreColumnName + "Vector" : options.ScoreColumnName;
        var inputNames = options.ExposureColumnName is string en ? new[] { options.FeatureColumnName, en } : new[] { options.FeatureColumnName };
        byte[] onnx = ExportOnnx(network, featureCount, outputs, inputNames, onnxOutput, componentName);
        var chain = BuildChain(context, onnx, inputNames, onnxOutput, options.ScoreColumnName, scalarLabel, input.Schema);
        return new CountRegressionTransformer(chain, onnx, dispersion, result, outputs, inputNames, onnxOutput);
    }

    /// <summary>The largest count a Single label holds exactly (2^24): above it neighbouring whole numbers cannot be told apart.</summary>
    internal const float LargestCount = 16_777_216f;

    private static string? CountProblem(float v)
    {
        if (v < 0) return "is negative (counts must be 0 or more)";
        if (v != MathF.Floor(v)) return "is not a whole number (counts must be whole numbers)";
        if (v > LargestCount)
            return $"is larger than {LargestCount:F0} (2^24), the largest count a Single label holds exactly; such a count is almost " +
                "certainly a data error";
        return null;
    }

    internal static byte[] ExportOnnx(CountNetwork network, int featureCount, int outputs, string[] inputNames, string outputName, string componentName)
    {
        var graph = new OnnxGraphBuilder("mlnetext_" + componentName);
        string features = graph.AddInput(inputNames[0], OnnxDataType.Float, -1, featureCount);
        string logRate = network.EmitLogRate(graph, features, "");
        if (inputNames.Length > 1)
        {
            string exposure = graph.AddInput(inputNames[1], OnnxDataType.Float, -1, 1);
            logRate = graph.AddNode("Add", new[] { logRate, graph.AddNode("Log", new[] { exposure }, ExposureLogName) });
        }
        graph.AddNode("Exp", new[] { logRate }, outputName);
        graph.AddOutput(outputName, OnnxDataType.Float, -1, outputs);
        graph.AddMetadata("mlnetext.component", componentName);
        graph.AddMetadata("mlnetext.output", "expected count per output");
        return graph.ToBytes();
    }

    private static TransformerChain<ITransformer> BuildChain(MLContext context, byte[] onnx, string[] inputNames, string onnxOutput,
        string scoreColumn, bool scalarLabel, DataViewSchema inputSchema)
    {
        var parts = new List<ITransformer>();
        var apply = OnnxTransformerFactory.Create(context, onnx, new[] { onnxOutput }, inputNames, inputSchema);
        parts.Add(apply);
        var schema = apply.GetOutputSchema(inputSchema);
        if (scalarLabel)
        {
            var toScalar = OnnxTransformerFactory.VectorToScalar(context, scoreColumn, onnxOutput, schema);
            parts.Add(toScalar);
            schema = toScalar.GetOutputSchema(schema);
            var drop = context.Transforms.DropColumns(onnxOutput).Fit(new EmptyDataView(schema));
            parts.Add(drop);
        }
        return new TransformerChain<ITransformer>(parts.ToArray());
    }
}
