namespace MlNetExt.Cli.Console;

/// <summary>Which exceptions are the user's bad input (exit code 2, one line) rather than internal errors.</summary>
internal static class BadInput
{
    /// <summary>The tool's own checks, and the library's checks of data values (which name the column, row or file).</summary>
    public static bool Is(Exception e) => e is UserInputException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
        || e is AggregateException { InnerExceptions.Count: 1 } a && Is(a.InnerExceptions[0]);

    public static string Message(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Message(a.InnerExceptions[0]) : e.Message;
}
