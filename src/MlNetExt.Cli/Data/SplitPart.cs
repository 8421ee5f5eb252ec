namespace MlNetExt.Cli.Data;

/// <summary>Which part of a run's data a row belongs to.</summary>
internal enum SplitPart
{
    /// <summary>Rows the model trains on.</summary>
    Train,

    /// <summary>Rows that choose the best epoch (and drive early stopping).</summary>
    Validation,

    /// <summary>Held-out rows: the run's metrics.</summary>
    Test,
}
