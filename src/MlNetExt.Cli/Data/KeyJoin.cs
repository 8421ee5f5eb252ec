using MlNetExt.Cli.Console;

namespace MlNetExt.Cli.Data;

/// <summary>
/// Two CSV/TSV files joined by a key column into one table: the key, then the named columns of the first file, then those
/// of the second. An inner join: each key must appear at most once in each file (a duplicate is an error naming both lines),
/// rows whose key is not in the other file are left out and counted, and a join that matches no row is an error. Rows keep
/// the first file's order.
/// </summary>
internal sealed class KeyJoin
{
    private KeyJoin(CsvTable table, IReadOnlyList<string> unmatchedFirst, IReadOnlyList<string> unmatchedSecond)
    {
        Table = table;
        UnmatchedFirst = unmatchedFirst;
        UnmatchedSecond = unmatchedSecond;
    }

    /// <summary>The joined rows.</summary>
    public CsvTable Table { get; }

    /// <summary>Keys of the first file that the second file lacks (their rows were left out), in file order.</summary>
    public IReadOnlyList<string> UnmatchedFirst { get; }

    /// <summary>Keys of the second file that the first file lacks.</summary>
    public IReadOnlyList<string> UnmatchedSecond { get; }

    /// <summary>One sentence on the rows left out, or null when every row found its partner.</summary>
    public string? DroppedSummary(string firstName, string secondName)
    {
        if (UnmatchedFirst.Count == 0 && UnmatchedSecond.Count == 0)
            return null;
        string Part(IReadOnlyList<string> keys, string file) =>
            $"{keys.Count} row(s) of '{file}'" + (keys.Count == 0 ? "" : $" (first key '{keys[0]}')");
        return $"{Part(UnmatchedFirst, firstName)} and {Part(UnmatchedSecond, secondName)} have no partner in the other file and were left out";
    }

    /// <summary>Joins <paramref name="first"/> and <paramref name="second"/> on <paramref name="key"/>, keeping
    /// <paramref name="firstColumns"/> of the first and <paramref name="secondColumns"/> of the second.</summary>
    public static KeyJoin Join(CsvTable first, CsvTable second, string key, IReadOnlyList<string> firstColumns, string firstOption,
        IReadOnlyList<string> secondColumns, string secondOption)
    {
        int firstKey = first.IndexOf(key, "--key"), secondKey = second.IndexOf(key, "--key");
        if (firstColumns.Contains(key, StringComparer.Ordinal) || secondColumns.Contains(key, StringComparer.Ordinal))
            throw new UserInputException($"--key '{key}' is also a view column; the key only matches rows, give the views other columns.");
        int[] firstIndexes = firstColumns.Select(c => first.IndexOf(c, firstOption)).ToArray();
        int[] secondIndexes = secondColumns.Select(c => second.IndexOf(c, secondOption)).ToArray();
        var firstRows = RowsByKey(first, firstKey);
        var secondRows = RowsByKey(second, secondKey);

        var joined = new List<string[]>();
        var unmatchedFirst = new List<string>();
        foreach (var (value, row) in firstRows.OrderBy(p => p.Value))
        {
            if (!secondRows.TryGetValue(value, out int partner))
            {
                unmatchedFirst.Add(value);
                continue;
            }
            joined.Add([first.Rows[row][firstKey], .. firstIndexes.Select(i => first.Rows[row][i]), .. secondIndexes.Select(i => second.Rows[partner][i])]);
        }
        var unmatchedSecond = secondRows.OrderBy(p => p.Value).Select(p => p.Key).Where(k => !firstRows.ContainsKey(k)).ToArray();
        string firstName = Path.GetFileName(first.FilePath), secondName = Path.GetFileName(second.FilePath);
        if (joined.Count == 0)
            throw new UserInputException($"no --key '{key}' value of '{firstName}' is in '{secondName}' (first keys: '{first.Rows[0][firstKey].Trim()}' and "
                + $"'{second.Rows[0][secondKey].Trim()}'); the files must share key values to be joined.");
        var table = CsvTable.FromRows($"{firstName} joined with {secondName} by {key}", first.Separator, [key, .. firstColumns, .. secondColumns], joined);
        return new KeyJoin(table, unmatchedFirst, unmatchedSecond);
    }

    /// <summary>Row index by key value (trimmed, case-sensitive), in file order; an empty or repeated key is an error.</summary>
    private static Dictionary<string, int> RowsByKey(CsvTable table, int column)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        string file = Path.GetFileName(table.FilePath), key = table.Header[column];
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string value = table.Rows[r][column].Trim();
            if (value.Length == 0)
                throw new UserInputException($"'{file}' line {r + 2} has no --key '{key}' value; every row needs a key to be joined.");
            if (!rows.TryAdd(value, r))
                throw new UserInputException($"'{file}' has --key '{key}' value '{value}' on lines {rows[value] + 2} and {r + 2}; "
                    + "a key must identify one row per file (remove or merge the duplicates).");
        }
        return rows;
    }
}
