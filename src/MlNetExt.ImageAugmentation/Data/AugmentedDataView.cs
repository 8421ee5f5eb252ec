using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.ImageAugmentation.Data;

/// <summary>
/// A lazy view: every source row, followed by its augmented copies. Images are augmented on the fly when a
/// cursor's image getter is called (never materialised); other columns are the source row's values.
/// </summary>
internal sealed class AugmentedDataView : IDataView
{
    public AugmentedDataView(IDataView source, DataViewSchema.Column imageColumn, ClassAugmentationPolicy policy,
        DataViewSchema.Column? labelColumn, Func<CopyCounter> copyCounterFactory, ulong seed, long? rowCount)
    {
        Source = source;
        ImageColumn = imageColumn;
        Policy = policy;
        LabelColumn = labelColumn;
        CopyCounterFactory = copyCounterFactory;
        Seed = seed;
        _rowCount = rowCount;
    }

    private readonly long? _rowCount;

    public IDataView Source { get; }
    public DataViewSchema.Column ImageColumn { get; }
    public ClassAugmentationPolicy Policy { get; }
    public DataViewSchema.Column? LabelColumn { get; }
    public Func<CopyCounter> CopyCounterFactory { get; }
    public ulong Seed { get; }

    /// <summary>True when the policy differs by class, so each row's label must be read.</summary>
    public bool PolicyNeedsLabel => LabelColumn is not null && Policy.Overrides.Count > 0;

    public bool CanShuffle => false;

    public DataViewSchema Schema => Source.Schema;

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new AugmentedRowCursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };
}
