using Microsoft.ML;

namespace MlNetExt.Core.Data;

/// <summary>The user's 0-based row number of a cursor's current row, for messages.</summary>
internal static class RowNumbers
{
    /// <summary>Reads <paramref name="rowNumberColumn"/> (a <see cref="RowNumberedDataView"/> column the cursor was opened with)
    /// when given, else the cursor's position (the row number in the data view the cursor reads).</summary>
    public static Func<long> Getter(DataViewRowCursor cursor, string? rowNumberColumn)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (rowNumberColumn is null)
            return () => cursor.Position;
        var getter = cursor.GetGetter<long>(cursor.Schema[rowNumberColumn]);
        return () =>
        {
            long row = 0;
            getter(ref row);
            return row;
        };
    }
}
