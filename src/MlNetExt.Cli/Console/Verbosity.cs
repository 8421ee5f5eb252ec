namespace MlNetExt.Cli.Console;

/// <summary>How much the tool prints.</summary>
internal enum Verbosity
{
    /// <summary>Errors, warnings and the final result line only.</summary>
    Quiet,

    /// <summary>Progress and a summary.</summary>
    Normal,

    /// <summary>Also ML.NET's and MlNetExt's log messages and a line per progress update.</summary>
    Verbose,
}
