using System.Globalization;
using System.Text;
using MlNetExt.Cli.Console;

namespace MlNetExt.Cli.Data;

/// <summary>
/// The seeded train / validation / test assignment of a run's rows, stratified by class when classes are given (each
/// class keeps its share in every part). Written to split.csv, so anyone can evaluate on exactly the rows the run held out.
/// </summary>
internal sealed class DataSplit
{
    private DataSplit(SplitPart[] parts) => Parts = parts;

    public IReadOnlyList<SplitPart> Parts { get; }

    public int Count(SplitPart part) => Parts.Count(p => p == part);

    public int[] Rows(SplitPart part) => Enumerable.Range(0, Parts.Count).Where(i => Parts[i] == part).ToArray();

    /// <summary>Every row in one part (data given separately for the other parts).</summary>
    public static DataSplit All(int rows, SplitPart part) => new(Enumerable.Repeat(part, rows).ToArray());

    /// <summary>
    /// Assigns <paramref name="rows"/> rows: <paramref name="testFraction"/> of them to Test, <paramref name="validationFraction"/>
    /// of the rest to Validation, the others to Train; within each class when <paramref name="classes"/> is given (a class
    /// with fewer rows keeps at least one training row). Deterministic for a seed.
    /// </summary>
    public static DataSplit Create(int rows, double testFraction, double validationFraction, int seed, IReadOnlyList<int>? classes = null)
    {
        var parts = new SplitPart[rows];
        var groups = classes is null
            ? [Enumerable.Range(0, rows).ToArray()]
            : Enumerable.Range(0, rows).GroupBy(i => classes[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var random = new Random(seed);
        foreach (int[] group in groups)
        {
            int[] order = (int[])group.Clone();
            random.Shuffle(order);
            int test = Take(order.Length, testFraction, keep: 1);
            int validation = Take(order.Length - test, validationFraction, keep: 1);
            for (int i = 0; i < order.Length; i++)
                parts[order[i]] = i < test ? SplitPart.Test : i < test + validation ? SplitPart.Validation : SplitPart.Train;
        }
        return new DataSplit(parts);
    }

    /// <summary>Reads split.csv back (the "split" column of each row, in row order).</summary>
    public static DataSplit Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var parts = new List<SplitPart>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string part = lines[i][(lines[i].LastIndexOf(',') + 1)..];
            parts.Add(part switch
            {
                "train" => SplitPart.Train,
                "validation" => SplitPart.Validation,
                "test" => SplitPart.Test,
                _ => throw new UserInputException($"'{path}' line {i + 1}: unknown split '{part}'."),
            });
        }
        return new DataSplit(parts.ToArray());
    }

    /// <summary>split.csv: <c>row,split</c>, or <c>row,path,label,split</c> when <paramref name="describe"/> gives a row's path and label.</summary>
    public string ToCsv(Func<int, (string Path, string Label)>? describe = null)
    {
        var text = new StringBuilder(describe is null ? "row,split\n" : "row,path,label,split\n");
        for (int i = 0; i < Parts.Count; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (describe is not null)
            {
                var (path, label) = describe(i);
                text.Append(Quote(path)).Append(',').Append(Quote(label)).Append(',');
            }
            text.Append(Name(Parts[i])).Append('\n');
        }
        return text.ToString();
    }

    public static string Name(SplitPart part) => part switch
    {
        SplitPart.Train => "train",
        SplitPart.Validation => "validation",
        _ => "test",
    };

    private static int Take(int available, double fraction, int keep)
    {
        if (fraction <= 0 || available <= keep)
            return 0;
        int wanted = Math.Max(1, (int)Math.Round(available * fraction, MidpointRounding.AwayFromZero));
        return Math.Min(wanted, available - keep);
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
