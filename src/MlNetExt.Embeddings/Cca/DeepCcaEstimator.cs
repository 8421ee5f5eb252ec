using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Deep CCA (Andrew et al. 2013): trains one encoder per view to maximise the top-k canonical correlations of their
/// outputs, then whitens the encodings by a final linear CCA on the training rows, folded into each view's ONNX graph.
/// </summary>
public sealed class DeepCcaEstimator : IEstimator<CcaModel>
{
    private readonly MLContext _context;
    private readonly DeepCcaOptions _options;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its seed, log and GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, model and training options.</param>
    public DeepCcaEstimator(MLContext context, DeepCcaOptions options)
    {
        _context = context;
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Components, 1, nameof(options.Components));
        if (options.EncoderOutputDimension is int o && o < options.Components)
            throw new ArgumentOutOfRangeException(nameof(options.EncoderOutputDimension), o,
                $"EncoderOutputDimension must be at least Components ({options.Components}).");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Regularization, nameof(options.Regularization));
        ArgumentNullException.ThrowIfNull(options.HiddenLayers, nameof(options.HiddenLayers));
    }

    /// <summary>Result of the last <see cref="Fit"/>: the training history (epochs, losses).</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <inheritdoc/>
    public CcaModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        TwoViewData.CheckSchema(input.Schema, o.ViewAColumnName, o.ViewBColumnName);
        if (o.ViewAColumnName == o.ViewBColumnName)
            throw new ArgumentException($"The two views must be different columns; both are '{o.ViewAColumnName}'.");
        TensorColumnSpec[] columns = [new(o.ViewAColumnName), new(o.ViewBColumnName)];

        var probe = new NeuralTrainingLoop(_context, o, "DeepCca");
        var (train, validation) = TrainingDataSplit.Create(_context, input, o, columns, probe.Seed);
        using (train)
        using (validation)
        {
            long rows = train.RowCount ?? long.MaxValue;
            if (rows < 3)
                throw new ArgumentException($"Deep CCA needs at least 3 training rows of '{o.ViewAColumnName}' and '{o.ViewBColumnName}', found {rows}.");
            var options = o.FullBatch ? o.WithBatchSize((int)Math.Min(int.MaxValue, rows)) : o;
            var loop = o.FullBatch ? new NeuralTrainingLoop(_context, options, "DeepCca") : probe;

            int widthA = train.Width(o.ViewAColumnName), widthB = train.Width(o.ViewBColumnName);
            int outputWidth = o.EncoderOutputDimension ?? o.Components;
            loop.SeedTorch();
            var encoderA = o.ViewAEncoderFactory?.Invoke(widthA, outputWidth) ?? MlpEncoder.Create(widthA, outputWidth, o.HiddenLayers, o.Activation);
            var encoderB = o.ViewBEncoderFactory?.Invoke(widthB, outputWidth) ?? MlpEncoder.Create(widthB, outputWidth, o.HiddenLayers, o.Activation);
            using var encoders = new TwoViewEncoders(encoderA, encoderB);
            encoders.to(loop.Device);

            LastTrainingResult = loop.Train(encoders, train, validation,
                b => DeepCcaLoss.Compute(encoders.ViewA.forward(b[o.ViewAColumnName]), encoders.ViewB.forward(b[o.ViewBColumnName]),
                    o.Components, o.Regularization, o.EigenvalueEpsilon));

            encoders.eval();
            var (encodedA, encodedB) = Encode(encoders, train, options, loop.Device);
            var solution = LinearCcaSolver.Fit(encodedA, encodedB, o.Components, o.Regularization);
            encoders.to(CPU);
            var onnxA = CcaProjectionGraph.Build(o.ViewAColumnName, widthA, o.ViewAOutputColumnName, encoders.ViewA, solution.MeanA, solution.ProjectionA);
            var onnxB = CcaProjectionGraph.Build(o.ViewBColumnName, widthB, o.ViewBOutputColumnName, encoders.ViewB, solution.MeanB, solution.ProjectionB);
            var viewA = OnnxTransformerFactory.Create(_context, onnxA, new[] { o.ViewAOutputColumnName }, new[] { o.ViewAColumnName }, input.Schema);
            var viewB = OnnxTransformerFactory.Create(_context, onnxB, new[] { o.ViewBOutputColumnName }, new[] { o.ViewBColumnName }, input.Schema);
            return new CcaModel(viewA, viewB, solution.Correlations, onnxA, onnxB);
        }
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
