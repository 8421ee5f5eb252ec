using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>Trains a <see cref="CountNetwork"/> on an IDataView (from scratch or from a fitted model) and wraps the
/// exported network in standard transformers.</summary>
internal static class NeuralCountTraining
{
    private const string ExposureLogName = "log_exposure";
    private const string DispersionParameter = "dispersion_raw";

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

    /// <summary>Trains a new network, or continues training <paramref name="initialModel"/>'s network, on <paramref name="input"/>.</summary>
    public static CountRegressionTransformer Fit(MLContext context, IDataView input, NeuralCountTrainerOptions options, CountModelKind kind,
        string componentName, int seed, CountRegressionTransformer? initialModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateOptions(options);
        var labelColumn = NumericColumn.Find(input.Schema, options.LabelColumnName, role: "Label", parameterName: nameof(input));
        bool scalarLabel = !labelColumn.IsVector;
        // Any numeric type: the scoring chain converts it to Single for the graph (OnnxInputColumns.Score).
        NumericColumn.Find(input.Schema, options.FeatureColumnName, role: "Feature", parameterName: nameof(input));
        if (options.ExposureColumnName is string exposureColumn)
            NumericColumn.Find(input.Schema, exposureColumn, role: "Exposure", parameterName: nameof(input));

        var specs = new List<TensorColumnSpec>
        {
            new(options.FeatureColumnName),
            new(options.LabelColumnName) { Validate = CountProblem },
        };
        if (options.ExposureColumnName is string exposureName)
            specs.Add(new TensorColumnSpec(exposureName) { Validate = v => v > 0 ? null : "is not a positive exposure", ExpectedWidth = 1 });

        var loop = new NeuralTrainingLoop(context, options, componentName, seed);
        var (train, validation) = TrainingDataSplit.Create(context, input, options, specs, loop.Seed);
        using (train)
        using (validation)
        {
            int featureCount = train.Width(options.FeatureColumnName);
            int outputs = train.Width(options.LabelColumnName);

            loop.SeedTorch();
            var (network, architecture) = initialModel is null
                ? NewNetwork(loop, train, options, featureCount, outputs, scalarLabel)
                : ContinuedNetwork(initialModel, options, featureCount, outputs);
            using (network)
            {
                network.to(loop.Device);
                TorchSharp.Modules.Parameter? dispersionRaw = null;
                if (kind == CountModelKind.NegativeBinomial)
                {
                    // α = softplus(ρ)  <=>  ρ = ln(exp(α) - 1)
                    var alpha0 = initialModel?.Dispersion is { } fitted && fitted.Count == outputs
                        ? fitted.ToArray()
                        : Enumerable.Repeat(((NeuralNegativeBinomialOptions)options).InitialDispersion, outputs).ToArray();
                    var rho = alpha0.Select(a => (float)Math.Log(Math.Exp(a) - 1)).ToArray();
                    dispersionRaw = new TorchSharp.Modules.Parameter(tensor(rho).to(loop.Device));
                    network.register_parameter(DispersionParameter, dispersionRaw);
                }

                var result = loop.Train(network, train, validation, LossFunction(network, options, kind, dispersionRaw), parameters: Groups(network, dispersionRaw));
                network.eval();
                network.to(CPU);

                float[]? dispersion = null;
                if (dispersionRaw is not null)
                {
                    using var scope = NewDisposeScope();
                    dispersion = dispersionRaw.detach().cpu().Softplus().data<float>().ToArray();
                }

                var history = new TrainingHistory([result]);
                string onnxOutput = scalarLabel ? options.ScoreColumnName + "Vector" : options.ScoreColumnName;
                var inputNames = options.ExposureColumnName is string en ? new[] { options.FeatureColumnName, en } : new[] { options.FeatureColumnName };
                byte[] onnx = ExportOnnx(network, architecture, inputNames, onnxOutput, kind, history, dispersion);
                var chain = BuildChain(context, onnx, inputNames, onnxOutput, options.ScoreColumnName, scalarLabel, input.Schema);
                return new CountRegressionTransformer(chain, onnx, history, dispersion, architecture, kind, inputNames, onnxOutput);
            }
        }
    }

    /// <summary>A new network: standardisation from the training data, output bias at each output's mean log-rate.</summary>
    private static (CountNetwork, CountArchitecture) NewNetwork(NeuralTrainingLoop loop, DataViewTensorSource train, NeuralCountTrainerOptions options,
        int featureCount, int outputs, bool scalarLabel)
    {
        var stats = TrainingStatistics.Compute(train, options.FeatureColumnName, options.LabelColumnName, options.ExposureColumnName);
        foreach (var warning in stats.ExtremeCountWarnings(options.LabelColumnName, !scalarLabel))
            loop.Warn(warning);
        float[] mean = options.StandardizeFeatures ? stats.FeatureMean : new float[featureCount];
        float[] scale = options.StandardizeFeatures ? stats.FeatureScale : Enumerable.Repeat(1f, featureCount).ToArray();
        var architecture = new CountArchitecture(CountArchitecture.NetworkName, featureCount, outputs, options.HiddenLayers.ToArray(),
            options.Activation, options.Dropout, "");
        return (new CountNetwork(featureCount, outputs, options.HiddenLayers, options.Activation, options.Dropout, mean, scale, stats.InitialLogRate),
            architecture);
    }

    /// <summary>The fitted model's network (its architecture and weights, standardisation included), to train on.</summary>
    private static (CountNetwork, CountArchitecture) ContinuedNetwork(CountRegressionTransformer initialModel, NeuralCountTrainerOptions options,
        int featureCount, int outputs)
    {
        var architecture = initialModel.Architecture;
        InitialModelWidths.Check(options.FeatureColumnName, featureCount, architecture.Features, options.LabelColumnName, outputs, architecture.Outputs);
        var network = new CountNetwork(architecture.Features, architecture.Outputs, architecture.HiddenLayers, architecture.Activation,
            architecture.Dropout, new float[featureCount], Enumerable.Repeat(1f, featureCount).ToArray(), new float[outputs]);
        OnnxWeights.LoadInto(network, OnnxModelReader.Parse(initialModel.GetOnnxModel()), architecture.StateDictPrefix);
        return (network, architecture);
    }

    private static Func<TensorBatch, Tensor> LossFunction(CountNetwork network, NeuralCountTrainerOptions options, CountModelKind kind,
        TorchSharp.Modules.Parameter? dispersionRaw)
    {
        Tensor LogMu(TensorBatch batch)
        {
            var logMu = network.LogRate(batch[options.FeatureColumnName]);
            return options.ExposureColumnName is string e ? logMu.Plus(batch[e].log()) : logMu;
        }
        return batch =>
        {
            var logMu = LogMu(batch);
            var k = batch[options.LabelColumnName];
            return kind switch
            {
                CountModelKind.Poisson => CountLosses.Poisson(logMu, k),
                CountModelKind.SquaredError => CountLosses.SquaredError(logMu, k),
                _ => CountLosses.NegativeBinomial(logMu, k, dispersionRaw!.Softplus().Plus(1e-8)),
            };
        };
    }

    /// <summary>The dispersion is one number per output that may have far to travel: it learns 10x faster than the weights.</summary>
    private static IReadOnlyList<ParameterGroup>? Groups(CountNetwork network, TorchSharp.Modules.Parameter? dispersionRaw) => dispersionRaw is null ? null : new[]
    {
        new ParameterGroup(network.parameters().Where(p => !ReferenceEquals(p, dispersionRaw))),
        new ParameterGroup(new[] { dispersionRaw }, learningRateMultiplier: 10f),
    };

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

    internal static byte[] ExportOnnx(CountNetwork network, CountArchitecture architecture, string[] inputNames, string outputName,
        CountModelKind kind, TrainingHistory history, float[]? dispersion)
    {
        var graph = new OnnxGraphBuilder("mlnetext_count_regression");
        string features = graph.AddInput(inputNames[0], OnnxDataType.Float, -1, architecture.Features);
        string logRate = network.EmitLogRate(graph, features, architecture.StateDictPrefix);
        if (inputNames.Length > 1)
        {
            string exposure = graph.AddInput(inputNames[1], OnnxDataType.Float, -1, 1);
            logRate = graph.AddNode("Add", new[] { logRate, graph.AddNode("Log", new[] { exposure }, ExposureLogName) });
        }
        graph.AddNode("Exp", new[] { logRate }, outputName);
        graph.AddOutput(outputName, OnnxDataType.Float, -1, architecture.Outputs);

        var inputs = new List<OnnxTensorDescription> { new(inputNames[0], "float", [-1, architecture.Features], "features") };
        if (inputNames.Length > 1)
            inputs.Add(new(inputNames[1], "float", [-1, 1], "exposure (the expected count is exposure times the rate)"));
        var extras = new Dictionary<string, string> { [CountRegressionTransformer.LikelihoodKey] = CountModelKinds.ToMetadata(kind) };
        if (dispersion is not null)
            extras[CountRegressionTransformer.DispersionKey] = MetadataJson.Serialize(dispersion);
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(CountRegressionTransformer.Kind, inputs,
            [new(outputName, "float", [-1, architecture.Outputs], "expected count per output")],
            MetadataJson.Serialize(architecture), history) { Extras = extras });
        return graph.ToBytes();
    }

    private static TransformerChain<ITransformer> BuildChain(MLContext context, byte[] onnx, string[] inputNames, string onnxOutput,
        string scoreColumn, bool scalarLabel, DataViewSchema inputSchema)
    {
        var parts = new List<ITransformer>(OnnxInputColumns.Score(context, onnx, new[] { onnxOutput }, inputNames, inputSchema));
        var schema = OnnxInputColumns.OutputSchema(parts, inputSchema);
        if (scalarLabel)
        {
            var toScalar = OnnxTransformerFactory.VectorToScalar(context, scoreColumn, onnxOutput, schema);
            parts.Add(toScalar);
            schema = toScalar.GetOutputSchema(schema);
            var drop = context.Transforms.DropColumns(onnxOutput).Fit(new SchemaOnlyDataView(schema));
            parts.Add(drop);
        }
        return new TransformerChain<ITransformer>(parts.ToArray());
    }
}
