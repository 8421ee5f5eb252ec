using Microsoft.ML;
using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Closed-form regularised linear CCA of two vector columns; fits a <see cref="CcaModel"/> (whose
/// <see cref="Core.Models.OnnxModelTransformer.History"/> is empty: nothing is trained by epochs).</summary>
public sealed class LinearCcaEstimator : IEstimator<CcaModel>
{

    private readonly MLContext _context;
    private readonly LinearCcaOptions _options;

    /// <summary>Creates the estimator; its models score under <paramref name="context"/> (its GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, number of components and regularisation.</param>
    public LinearCcaEstimator(MLContext context, LinearCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Components, 1, nameof(options.Components));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Regularization, nameof(options.Regularization));
        TwoViewData.CheckColumnNames(options.ViewAColumnName, options.ViewBColumnName, options.ViewAOutputColumnName,
            options.ViewBOutputColumnName, nameof(options));
        _context = context;
        _options = options;
    }

    /// <summary>Fits the canonical pairs on <paramref name="input"/>.</summary>
    /// <param name="input">Data with both view columns (known-size vectors of Single).</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">A view column is missing or not Single, or fewer than 3 rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More components than the narrower view has values.</exception>
    /// <exception cref="InvalidDataException">A NaN or infinite value; the message names the column, the row and the slot.</exception>
    public CcaModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var (a, b) = TwoViewData.Read(input, o.ViewAColumnName, o.ViewBColumnName);
        int narrowest = Math.Min(a.ColumnCount, b.ColumnCount);
        if (o.Components > narrowest)
        {
            var narrowView = a.ColumnCount <= b.ColumnCount ? o.ViewAColumnName : o.ViewBColumnName;
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Linear CCA finds at most as many canonical pairs as the narrower view has values: view '{narrowView}' has {narrowest}, Components is {o.Components}.");
        }
        var solution = LinearCcaSolver.Fit(a, b, o.Components, o.Regularization);
        var architecture = new CcaArchitecture(CcaArchitecture.NetworkName, o.Components,
            new(o.ViewAColumnName, o.ViewAOutputColumnName, a.ColumnCount, null, CcaArchitecture.ViewAPrefix),
            new(o.ViewBColumnName, o.ViewBOutputColumnName, b.ColumnCount, null, CcaArchitecture.ViewBPrefix));
        return CcaModelBuilder.Create(_context, input.Schema, architecture, null, null, solution, TrainingHistory.Empty);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => CcaSchema.Output(_context, inputSchema,
        _options.ViewAColumnName, _options.ViewBColumnName, _options.ViewAOutputColumnName, _options.ViewBOutputColumnName);
}
