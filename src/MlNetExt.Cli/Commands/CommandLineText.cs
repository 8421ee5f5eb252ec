namespace MlNetExt.Cli.Commands;

/// <summary>The command line as typed (for config.json and the report).</summary>
internal sealed class CommandLineText(IEnumerable<string> args)
{
    public string Text { get; } = "mlnetext " + string.Join(' ', args.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,+@".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
