using System.Text.Json;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>Reads and checks a run folder the tool wrote.</summary>
public static class RunFolderFiles
{
    public static readonly string[] TrainingFiles =
        ["model.zip", "model.onnx", "config.json", "metrics.json", "history.csv", "split.csv", "report.html", "run.log",
         "consume/Consume.csproj", "consume/Program.cs", "consume/ModelInput.cs", "consume/ModelOutput.cs"];

    public static void AssertComplete(string folder)
    {
        foreach (var file in TrainingFiles)
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing from {folder}");
        Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp*", SearchOption.AllDirectories));
    }

    public static JsonElement Json(string folder, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file))).RootElement;

    /// <summary>metrics.json's "metrics" object.</summary>
    public static Dictionary<string, double> Metrics(string folder)
    {
        var metrics = Json(folder, "metrics.json").GetProperty("metrics");
        return metrics.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    /// <summary>The rows of split.csv in a part ("train", "validation", "test").</summary>
    public static int[] SplitRows(string folder, string part) =>
        File.ReadLines(Path.Combine(folder, "split.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[^1] == part).Select(f => int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Writes the header and the given data rows of a CSV file to a new file.</summary>
    public static string Subset(string csv, IEnumerable<int> rows, string path)
    {
        var lines = File.ReadAllLines(csv);
        File.WriteAllLines(path, new[] { lines[0] }.Concat(rows.Select(r => lines[r + 1])));
        return path;
    }

    /// <summary>The SVG charts (inline base64 images) of one section of report.html, decoded.</summary>
    public static string[] ReportCharts(string folder, string sectionId)
    {
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        var section = System.Text.RegularExpressions.Regex.Match(html, $"<section id=\"{sectionId}\">(.*?)</section>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(section.Success, $"report.html has no section '{sectionId}'");
        return System.Text.RegularExpressions.Regex.Matches(section.Groups[1].Value, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)")
            .Select(m => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))).ToArray();
    }

    public static void AssertClose(double expected, double actual, string name, double tolerance = 1e-6) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{name}: metrics.json has {actual:R}, the library evaluator gives {expected:R}");
}
