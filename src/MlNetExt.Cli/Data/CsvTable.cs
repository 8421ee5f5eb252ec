using System.Globalization;
using System.Text;
using MlNetExt.Cli.Console;

namespace MlNetExt.Cli.Data;

/// <summary>
/// A delimited text file with a header row, read whole and checked before ML.NET's TextLoader reads it: every row must have
/// as many fields as the header (TextLoader would silently fill or drop fields). Quoting follows RFC 4180 and TextLoader's
/// <c>allowQuoting</c>: a field in double quotes may contain the separator, and "" inside it is one quote.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, char separator, string[] header, List<string[]> rows, bool inMemory = false)
    {
        FilePath = path;
        Separator = separator;
        Header = header;
        Rows = rows;
        InMemory = inMemory;
    }

    /// <summary>The file read, or for a table made in memory (<see cref="FromRows"/>) a description of where it came from.</summary>
    public string FilePath { get; }

    /// <summary>True for a table made in memory: <see cref="Source"/> serves <see cref="ToText"/> instead of a file.</summary>
    public bool InMemory { get; }

    public char Separator { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows (the header excluded); row r is on line r + 2 of the file.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The separator for a file: tab for .tsv, else a comma, unless <paramref name="separator"/> is given.</summary>
    public static char SeparatorFor(string path, string? separator) => separator switch
    {
        null or "" => Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',',
        "tab" or "\\t" or "\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        { Length: 1 } s => s[0],
        _ => throw new UserInputException($"--separator '{separator}' must be one character, 'tab', 'comma' or 'semicolon'."),
    };

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    public static CsvTable Read(string path, char separator)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"'{path}' is a folder; this command reads a CSV or TSV file with a header row.");
        if (!File.Exists(path))
            throw new UserInputException($"data file '{path}' does not exist; give the path of a CSV or TSV file with a header row.");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot read '{path}': {e.Message}");
        }
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
            throw new UserInputException($"'{path}' is empty; it needs a header row and at least one data row.");
        if (first > 0)
            throw new UserInputException($"'{path}' starts with an empty line; the first line must be the header row.");
        string[] header = Split(lines[0], separator, path, 1).Select(h => h.Trim()).ToArray();
        if (header.Length == 1 && separator != '\t' && lines[0].Contains('\t'))
            throw new UserInputException($"'{path}' has a single column but its header holds tabs; add --separator tab.");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new UserInputException($"'{path}' has two columns named '{duplicate.Key}'; rename one in the header row.");
        int emptyName = Array.FindIndex(header, h => h.Length == 0);
        if (emptyName >= 0)
            throw new UserInputException($"'{path}': column {emptyName + 1} of the header row has no name; name every column.");

        var rows = new List<string[]>(lines.Length);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 && i == lines.Length - 1)
                break;
            if (lines[i].Trim().Length == 0)
                throw new UserInputException($"'{path}' line {i + 1} is empty; remove empty lines between data rows.");
            string[] fields = Split(lines[i], separator, path, i + 1);
            if (fields.Length != header.Length)
                throw new UserInputException(
                    $"'{path}' line {i + 1} has {fields.Length} fields but the header has {header.Length} columns (ragged rows); "
                    + $"fix that row{(fields.Length > header.Length ? " (quote fields that contain the separator)" : "")} or remove it.");
            rows.Add(fields);
        }
        if (rows.Count == 0)
            throw new UserInputException($"'{path}' has a header row but no data rows.");
        return new CsvTable(Path.GetFullPath(path), separator, header, rows);
    }

    /// <summary>A table made in memory (for example two files joined by a key); <paramref name="description"/> names it in messages.</summary>
    public static CsvTable FromRows(string description, char separator, IReadOnlyList<string> header, IEnumerable<string[]> rows) =>
        new(description, separator, [.. header], [.. rows], inMemory: true);

    /// <summary>The table as delimited text with a header row; fields holding the separator, a quote or edge spaces are quoted.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        void Line(IEnumerable<string> fields) => text.AppendJoin(Separator, fields.Select(Quote)).Append('\n');
        Line(Header);
        foreach (var row in Rows)
            Line(row);
        return text.ToString();
    }

    /// <summary>What ML.NET's TextLoader reads: the file, or the in-memory text.</summary>
    public Microsoft.ML.Data.IMultiStreamSource Source() =>
        InMemory ? new InMemoryTextSource(FilePath, ToText()) : new Microsoft.ML.Data.MultiFileSource(FilePath);

    private string Quote(string field) =>
        field.Contains(Separator) || field.Contains('"') || field.Length != field.Trim().Length
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    /// <summary>The index of column <paramref name="name"/>; a missing column lists the columns there are.</summary>
    public int IndexOf(string name, string optionName)
    {
        int index = Array.IndexOf((string[])Header, name);
        if (index >= 0)
            return index;
        var caseInsensitive = Header.FirstOrDefault(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        string hint = caseInsensitive is null ? "" : $" (did you mean '{caseInsensitive}'? names are case-sensitive)";
        throw new UserInputException(
            $"{optionName} '{name}' is not a column of '{Path.GetFileName(FilePath)}'{hint}; its columns are: {string.Join(", ", Header)}.");
    }

    /// <summary>True when every non-empty field of the column is a number (invariant culture).</summary>
    public bool IsNumeric(int column) =>
        Rows.All(r => r[column].Trim().Length == 0 || float.TryParse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    /// <summary>The column's values as numbers; a non-numeric or empty field is an error naming the column, row and line.</summary>
    public double[] Numbers(int column, string role, Func<double, string?>? check = null)
    {
        var values = new double[Rows.Count];
        for (int r = 0; r < Rows.Count; r++)
        {
            string field = Rows[r][column].Trim();
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new UserInputException(
                    $"{role} column '{Header[column]}' row {r} (line {r + 2}) is '{field}', not a number; fix the value or remove the row.");
            if (check?.Invoke(value) is string problem)
                throw new UserInputException($"{role} column '{Header[column]}' row {r} (line {r + 2}) is {field}: {problem}.");
            values[r] = value;
        }
        return values;
    }

    private static string[] Split(string line, char separator, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.ToString().Trim().Length == 0 && !wasQuoted) { quoted = true; wasQuoted = true; field.Clear(); }
            else if (c == separator) { fields.Add(field.ToString()); field.Clear(); wasQuoted = false; }
            else field.Append(c);
        }
        if (quoted)
            throw new UserInputException($"'{path}' line {lineNumber} has a quote that is not closed; quoted fields cannot span lines.");
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
