using Microsoft.ML;
using MlNetExt.Core.Pipelines;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Closed-form regularised linear CCA of two vector columns; fits a <see cref="CcaModel"/>.</summary>
public sealed class LinearCcaEstimator : IEstimator<CcaModel>
{
    private readonly MLContext _context;
    private readonly LinearCcaOptions _options;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its seed, log and GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, model and training options.</param>
    public LinearCcaEstimator(MLContext context, LinearCcaOptions options)
    {
        _context = context;
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Components, 1, nameof(options.Components));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Regularization, nameof(options.Regularization));
    }

    /// <inheritdoc/>
    public CcaModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (a, b) = TwoViewData.Read(input, _options.ViewAColumnName, _options.ViewBColumnName);
        int narrowest = Math.Min(a.ColumnCount, b.ColumnCount);
        if (_options.Components > narrowest)
        {
            var narrowView = a.ColumnCount <= b.ColumnCount ? _options.ViewAColumnName : _options.ViewBColumnName;
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Linear CCA finds at most as many canonical pairs as the narrower view has values: view '{narrowView}' has {narrowest}, Components is {_options.Components}.");
        }
        var solution = LinearCcaSolver.Fit(a, b, _options.Components, _options.Regularization);
        var onnxA = CcaProjectionGraph.Build(_options.ViewAColumnName, a.ColumnCount, _options.ViewAOutputColumnName, null, solution.MeanA, solution.ProjectionA);
        var onnxB = CcaProjectionGraph.Build(_options.ViewBColumnName, b.ColumnCount, _options.ViewBOutputColumnName, null, solution.MeanB, solution.ProjectionB);
        var viewA = OnnxTransformerFactory.Create(_context, onnxA, new[] { _options.ViewAOutputColumnName }, new[] { _options.ViewAColumnName }, input.Schema);
        var viewB = OnnxTransformerFactory.Create(_context, onnxB, new[] { _options.ViewBOutputColumnName }, new[] { _options.ViewBColumnName }, input.Schema);
        return new CcaModel(viewA, viewB, solution.Correlations, onnxA, onnxB);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => CcaSchema.Output(_context, inputSchema,
        _options.ViewAColumnName, _options.ViewBColumnName, _options.ViewAOutputColumnName, _options.ViewBOutputColumnName);
}
