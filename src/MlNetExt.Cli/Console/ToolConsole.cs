using Spectre.Console;

namespace MlNetExt.Cli.Console;

/// <summary>
/// Where the tool writes for people: Spectre.Console on an interactive terminal, plain lines when the output is
/// redirected (a file, a pipe, a CI log). Results that programs read (predict's JSON or table) go to standard output;
/// with <see cref="MessagesToStandardError"/> every human message goes to standard error.
/// </summary>
internal sealed class ToolConsole
{
    private readonly object _gate = new();
    private readonly TextWriter _writer;

    public ToolConsole(Verbosity verbosity, bool messagesToStandardError = false)
    {
        Verbosity = verbosity;
        MessagesToStandardError = messagesToStandardError;
        var writer = messagesToStandardError ? System.Console.Error : System.Console.Out;
        _writer = writer;
        bool redirected = messagesToStandardError ? System.Console.IsErrorRedirected : System.Console.IsOutputRedirected;
        Interactive = !redirected && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    public Verbosity Verbosity { get; }

    public bool MessagesToStandardError { get; }

    /// <summary>A terminal that supports a live display (not redirected).</summary>
    public bool Interactive { get; }

    /// <summary>The Spectre.Console console for messages.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>A progress or summary line (not in quiet mode).</summary>
    public void Info(string text)
    {
        if (Verbosity == Verbosity.Quiet) return;
        Line(text, null);
    }

    /// <summary>A detail line (verbose mode only).</summary>
    public void Detail(string text)
    {
        if (Verbosity != Verbosity.Verbose) return;
        Line(text, "grey");
    }

    /// <summary>A warning (always).</summary>
    public void Warning(string text) => Line("warning: " + text, "yellow");

    /// <summary>The result of a command (always, even in quiet mode).</summary>
    public void Result(string text) => Line(text, "green");

    /// <summary>An error line on standard error (always).</summary>
    public static void Error(string text)
    {
        if (!System.Console.IsErrorRedirected)
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) }).MarkupLine($"[red]{Markup.Escape(text)}[/]");
        else
            System.Console.Error.WriteLine(text);
    }

    private void Line(string text, string? style)
    {
        lock (_gate)
        {
            if (!Interactive)
                _writer.WriteLine(text);
            else if (style is not null)
                Ansi.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
            else
                Ansi.WriteLine(text);
        }
    }
}
