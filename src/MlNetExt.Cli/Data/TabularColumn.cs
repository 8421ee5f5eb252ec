namespace MlNetExt.Cli.Data;

/// <summary>What a column of a tabular data set is used for.</summary>
internal enum ColumnRole
{
    Feature,
    Label,
    Exposure,
    Key,
    Ignored,
}

/// <summary>One column of a CSV/TSV data set: its name, position, inferred type (Single or text) and role.</summary>
internal sealed record TabularColumn(string Name, int Index, bool Numeric, ColumnRole Role);
