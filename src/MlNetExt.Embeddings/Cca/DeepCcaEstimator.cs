using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Deep CCA (Andrew et al. 2013): trains one encoder per view to maximise the top-k canonical correlations of their
/// outputs, then whitens the encodings by a final linear CCA on the training rows, folded into the exported ONNX graph.
/// </summary>
/// <remarks>The seed is resolved when the estimator is created (<see cref="NeuralTrainerOptions.Seed"/>, else drawn from the
/// MLContext), so fitting it twice gives the same model, and estimators created in one order give the same models
/// whichever is fitted first. Everything a fit learns is on the returned <see cref="CcaModel"/>.</remarks>
public sealed class DeepCcaEstimator : IEstimator<CcaModel>
{
    private const string ComponentName = "DeepCca";

    private readonly MLContext _context;
    private readonly DeepCcaOptions _options;
    private readonly int _seed;
    private TrainingResult? _lastTrainingResult;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its seed, log and GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, model and training options.</param>
    public DeepCcaEstimator(MLContext context, DeepCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Components, 1, nameof(options.Components));
        if (options.EncoderOutputDimension is int o && o < options.Components)
            throw new ArgumentOutOfRangeException(nameof(options.EncoderOutputDimension), o,
                $"EncoderOutputDimension must be at least Components ({options.Components}).");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Regularization, nameof(options.Regularization));
        ArgumentNullException.ThrowIfNull(options.HiddenLayers, nameof(options.HiddenLayers));
        TwoViewData.CheckColumnNames(options.ViewAColumnName, options.ViewBColumnName, options.ViewAOutputColumnName,
            options.ViewBOutputColumnName, nameof(options));
        _context = context;
        _options = options;
        _seed = EstimatorSeed.Resolve(context, options.Seed, ComponentName);
    }

    /// <summary>The training history of the last <see cref="Fit(IDataView)"/>.</summary>
    [Obsolete("Use CcaModel.History (History.Stages[^1] is this result). Estimators keep no state after Fit; this goes in the next release.")]
    public TrainingResult? LastTrainingResult => _lastTrainingResult;

    /// <summary>Trains new encoders on <paramref name="input"/>.</summary>
    /// <param name="input">Data with both view columns (known-size vectors of Single).</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">A view column is missing or not Single, or fewer than 3 rows.</exception>
    /// <exception cref="InvalidDataException">A NaN or infinite value; the message names the column and the row.</exception>
    public CcaModel Fit(IDataView input) => Train(input, null);

    /// <summary>
    /// Continues training <paramref name="initialModel"/>'s encoders on <paramref name="input"/> (ML.NET's retraining shape):
    /// the encoders are rebuilt from the model's architecture and weights (a model loaded with
    /// <c>mlContext.DeepLearning().Model.Load&lt;CcaModel&gt;</c> works too), trained with this estimator's options for
    /// <see cref="NeuralTrainerOptions.Epochs"/> more epochs, and the final linear CCA is fitted again on the new rows. The
    /// encoders' shape is the initial model's (the options' HiddenLayers, Activation and EncoderOutputDimension are not
    /// used); an encoder made by an encoder factory needs that factory in the options again.
    /// </summary>
    /// <param name="input">New data whose view widths match the initial model's.</param>
    /// <param name="initialModel">A deep CCA model.</param>
    /// <returns>The model trained further.</returns>
    /// <exception cref="ArgumentException">The initial model is a linear CCA model, a view's width differs from the initial
    /// model's (the message names the column and both sizes), or a custom encoder's factory is missing.</exception>
    public CcaModel Fit(IDataView input, CcaModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return Train(input, initialModel);
    }

    private CcaModel Train(IDataView input, CcaModel? initialModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var (widthA, widthB) = TwoViewData.CheckSchema(input.Schema, o.ViewAColumnName, o.ViewBColumnName, nameof(input));
        var architecture = initialModel is null
            ? NewArchitecture(widthA, widthB)
            : ContinuedArchitecture(initialModel.Architecture, widthA, widthB);
        TensorColumnSpec[] columns = [new(o.ViewAColumnName), new(o.ViewBColumnName)];

        var loop = new NeuralTrainingLoop(_context, o, ComponentName, _seed);
        var (train, validation) = TrainingDataSplit.Create(_context, input, o, columns, _seed);
        using (train)
        using (validation)
        {
            long rows = train.RowCount ?? long.MaxValue;
            if (rows < 3)
                throw new ArgumentException($"Deep CCA needs at least 3 training rows of '{o.ViewAColumnName}' and '{o.ViewBColumnName}', found {rows}.", nameof(input));
            var options = o.FullBatch ? o.WithBatchSize((int)Math.Min(int.MaxValue, rows)) : o;
            if (o.FullBatch)
                loop = new NeuralTrainingLoop(_context, options, ComponentName, _seed);

            loop.SeedTorch();
            var encoderA = CreateEncoder(architecture.ViewA, o.ViewAEncoderFactory);
            var encoderB = CreateEncoder(architecture.ViewB, o.ViewBEncoderFactory);
            using var encoders = new TwoViewEncoders(encoderA, encoderB);
            if (initialModel is not null)
            {
                var onnx = OnnxModelReader.Parse(initialModel.GetOnnxModel());
                OnnxWeights.LoadInto(encoderA, onnx, initialModel.Architecture.ViewA.StateDictPrefix);
                OnnxWeights.LoadInto(encoderB, onnx, initialModel.Architecture.ViewB.StateDictPrefix);
            }
            encoders.to(loop.Device);

            var result = loop.Train(encoders, train, validation,
                b => DeepCcaLoss.Compute(encoders.ViewA.forward(b[o.ViewAColumnName]), encoders.ViewB.forward(b[o.ViewBColumnName]),
                    o.Components, o.Regularization, o.EigenvalueEpsilon));
            _lastTrainingResult = result;

            encoders.eval();
            var (encodedA, encodedB) = Encode(encoders, train, options, loop.Device);
            var solution = LinearCcaSolver.Fit(encodedA, encodedB, o.Components, o.Regularization);
            encoders.to(CPU);
            return CcaModelBuilder.Create(_context, input.Schema, architecture, encoders.ViewA, encoders.ViewB, solution,
                new TrainingHistory([result]));
        }
    }

    private CcaArchitecture NewArchitecture(int widthA, int widthB)
    {
        var o = _options;
        int outputWidth = o.EncoderOutputDimension ?? o.Components;
        CcaEncoderArchitecture Encoder(Func<int, int, nn.Module<Tensor, Tensor>>? factory) => factory is null
            ? new(CcaEncoderArchitecture.Mlp, outputWidth, o.HiddenLayers.ToArray(), o.Activation)
            : new(CcaEncoderArchitecture.Custom, outputWidth, null, null);
        return new CcaArchitecture(CcaArchitecture.NetworkName, o.Components,
            new(o.ViewAColumnName, o.ViewAOutputColumnName, widthA, Encoder(o.ViewAEncoderFactory), CcaArchitecture.ViewAPrefix),
            new(o.ViewBColumnName, o.ViewBOutputColumnName, widthB, Encoder(o.ViewBEncoderFactory), CcaArchitecture.ViewBPrefix));
    }

    /// <summary>The initial model's encoders under this estimator's columns and components; widths are checked.</summary>
    private CcaArchitecture ContinuedArchitecture(CcaArchitecture initial, int widthA, int widthB)
    {
        var o = _options;
        CcaViewArchitecture View(CcaViewArchitecture view, string name, string input, string output, int width,
            Func<int, int, nn.Module<Tensor, Tensor>>? factory, string prefix)
        {
            var encoder = view.Encoder ?? throw new ArgumentException(
                "The initial model is a linear CCA model: it has no encoders to train further. Continue from a deep CCA model.", "initialModel");
            if (width != view.InputWidth)
                throw new ArgumentException(
                    $"{name} column '{input}' has {width} values per row, but the initial model's {name} encoder was trained on {view.InputWidth} ('{view.InputColumn}').",
                    "initialModel");
            if (encoder.OutputWidth < o.Components)
                throw new ArgumentException(
                    $"Components is {o.Components}, but the initial model's {name} encoder has only {encoder.OutputWidth} outputs.", "initialModel");
            if (encoder.Network == CcaEncoderArchitecture.Custom && factory is null)
                throw new ArgumentException(
                    $"The initial model's {name} encoder was made by an encoder factory; set the options' {name.Replace(" ", "")}EncoderFactory to the same factory to rebuild it.",
                    "initialModel");
            return new(input, output, width, encoder, prefix);
        }

        return new CcaArchitecture(CcaArchitecture.NetworkName, o.Components,
            View(initial.ViewA, "View A", o.ViewAColumnName, o.ViewAOutputColumnName, widthA, o.ViewAEncoderFactory, CcaArchitecture.ViewAPrefix),
            View(initial.ViewB, "View B", o.ViewBColumnName, o.ViewBOutputColumnName, widthB, o.ViewBEncoderFactory, CcaArchitecture.ViewBPrefix));
    }

    private static nn.Module<Tensor, Tensor> CreateEncoder(CcaViewArchitecture view, Func<int, int, nn.Module<Tensor, Tensor>>? factory)
    {
        var encoder = view.Encoder!;
        return encoder.Network == CcaEncoderArchitecture.Custom
            ? factory!.Invoke(view.InputWidth, encoder.OutputWidth)
            : MlpEncoder.Create(view.InputWidth, encoder.OutputWidth, encoder.HiddenLayers ?? [],
                encoder.Activation ?? ActivationKind.Tanh);
    }

    private static (Matrix<double> A, Matrix<double> B) Encode(TwoViewEncoders encoders, DataViewTensorSource source, DeepCcaOptions o, Device device)
    {
        var rowsA = new List<double[]>();
        var rowsB = new List<double[]>();
        using (no_grad())
        {
            foreach (var batch in source.GetBatches(Math.Max(1, o.BatchSize), shuffle: false, seed: 0, device))
            {
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    Append(encoders.ViewA.forward(batch[o.ViewAColumnName]), rowsA);
                    Append(encoders.ViewB.forward(batch[o.ViewBColumnName]), rowsB);
                }
            }
        }
        return (Matrix<double>.Build.DenseOfRowArrays(rowsA), Matrix<double>.Build.DenseOfRowArrays(rowsB));
    }

    private static void Append(Tensor encoded, List<double[]> rows)
    {
        var cpu = encoded.to(ScalarType.Float64).cpu().contiguous();
        int n = (int)cpu.shape[0], width = (int)cpu.shape[1];
        var values = cpu.data<double>().ToArray();
        for (int i = 0; i < n; i++)
            rows.Add(values.AsSpan(i * width, width).ToArray());
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => CcaSchema.Output(_context, inputSchema,
        _options.ViewAColumnName, _options.ViewBColumnName, _options.ViewAOutputColumnName, _options.ViewBOutputColumnName);
}
