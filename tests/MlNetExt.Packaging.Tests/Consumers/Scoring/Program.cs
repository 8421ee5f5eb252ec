// A scoring-only application with Microsoft's packages only (see Scoring.csproj): loads every model the training
// consumer saved, scores the same inputs and compares with the scores the training process computed.
//
// Usage: Scoring <folder written by the training consumer>
// Prints one "ok <model>: ..." line per model and the assemblies it loaded; exits with 3 when a score differs or an
// MlNetExt or TorchSharp assembly was loaded, with 2 on an error.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Scoring <folder>");
    return 1;
}

string folder = Path.GetFullPath(args[0]);
var ml = new MLContext(seed: 0);
try
{
    bool same = true;
    same &= Score(ml, folder, "counts", [("Features", 3)], ["Score"]);
    same &= Score(ml, folder, "gaussian", [("Features", 3)], ["Score", "ScoreStdDev"]);
    same &= Score(ml, folder, "classifier", [("ImagePath", 0)], ["Score"]);
    same &= Score(ml, folder, "triplet", [("Features", 8)], ["Embedding"]);
    same &= Score(ml, folder, "cca", [("ViewA", 4), ("ViewB", 4)], ["ViewAEmbedding", "ViewBEmbedding"]);

    string[] loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").Order().ToArray();
    foreach (string name in loaded) Console.WriteLine("assembly " + name);
    string[] forbidden = loaded.Where(n => n.StartsWith("MlNetExt", StringComparison.Ordinal) || n.StartsWith("TorchSharp", StringComparison.Ordinal)).ToArray();
    if (forbidden.Length > 0)
    {
        Console.Error.WriteLine("FAILED check: loaded " + string.Join(", ", forbidden));
        return 3;
    }
    return same ? 0 : 3;
}
catch (Exception e)
{
    Console.Error.WriteLine($"FAILED {e.GetType().FullName}: {e.Message}");
    Console.Error.WriteLine(e);
    return 2;
}

// Loads <name>.zip, scores <name>.inputs.csv (vector columns of the given widths, or one text column for width 0)
// and compares the output columns, concatenated per row, with <name>.expected.csv.
static bool Score(MLContext ml, string folder, string name, (string Name, int Width)[] inputs, string[] outputs)
{
    ITransformer model = ml.Model.Load(Path.Combine(folder, name + ".zip"), out _);
    var columns = new List<TextLoader.Column>();
    int next = 0;
    foreach (var (column, width) in inputs)
    {
        columns.Add(width == 0
            ? new TextLoader.Column(column, DataKind.String, next)
            : new TextLoader.Column(column, DataKind.Single, next, next + width - 1));
        next += Math.Max(width, 1);
    }

    var loader = ml.Data.CreateTextLoader(columns.ToArray(), separatorChar: ',', hasHeader: false);
    IDataView scored = model.Transform(loader.Load(Path.Combine(folder, name + ".inputs.csv")));
    var perColumn = outputs.Select(o => Read(scored, o)).ToArray();
    var actual = Enumerable.Range(0, perColumn[0].Count).Select(r => perColumn.SelectMany(c => c[r]).ToArray()).ToArray();
    var expected = File.ReadAllLines(Path.Combine(folder, name + ".expected.csv"))
        .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    if (actual.Length != expected.Length || actual.Where((row, i) => row.Length != expected[i].Length).Any())
    {
        Console.Error.WriteLine($"FAILED {name}: {actual.Length} scored rows for {expected.Length} expected, or different widths");
        return false;
    }
    // The training process scored in batches, this plain ML.NET app scores row by row: equal within 1e-5 relative.
    double maxDiff = actual.SelectMany((row, i) => row.Select((v, j) => Math.Abs((double)v - expected[i][j]))).Max();
    bool same = actual.SelectMany((row, i) => row.Select((v, j) => Math.Abs((double)v - expected[i][j]) <= 1e-5 * Math.Max(1.0, Math.Abs(expected[i][j])))).All(ok => ok);
    Console.WriteLine($"{(same ? "ok" : "FAILED")} {name}: {actual.Length} rows scored from {name}.zip, max |difference| from the training process {maxDiff:G3}");
    return same;
}

static List<float[]> Read(IDataView data, string column)
{
    var result = new List<float[]>();
    var col = data.Schema[column];
    using var cursor = data.GetRowCursor([col]);
    if (col.Type is VectorDataViewType)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
    }
    else
    {
        var getter = cursor.GetGetter<float>(col);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add([value]);
        }
    }
    return result;
}
