namespace MlNetExt.Cli.Console;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An internal error (a bug or an environment problem); the message points to the log file.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input or a bad command line: one line names the problem and what to do.</summary>
    public const int BadInput = 2;

    /// <summary>Training was stopped with Ctrl+C; the run folder is complete and holds the best model so far.</summary>
    public const int Interrupted = 130;
}
