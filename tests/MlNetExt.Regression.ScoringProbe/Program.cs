// Usage: MlNetExt.Regression.ScoringProbe <model.zip> <features.csv> [featureColumn] [scoreColumn]
// The CSV has one row per example and one number per feature, comma-separated, no header.
// Prints "score <v> [<v> ...]" per row, then "assembly <name>" for every loaded assembly, and exits with 3 when an
// MlNetExt or TorchSharp assembly (other than this probe) was loaded.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: <model.zip> <features.csv> [featureColumn] [scoreColumn]");
    return 1;
}
string featureColumn = args.Length > 2 ? args[2] : "Features";
string scoreColumn = args.Length > 3 ? args[3] : "Score";

var ml = new MLContext(seed: 0);
ITransformer model = ml.Model.Load(args[0], out DataViewSchema inputSchema);
var featureType = inputSchema[featureColumn].Type as VectorDataViewType
    ?? throw new InvalidOperationException($"'{featureColumn}' is not a vector column in the saved schema.");
int width = featureType.Size;

var loader = ml.Data.CreateTextLoader(new[] { new TextLoader.Column(featureColumn, DataKind.Single, 0, width - 1) }, separatorChar: ',', hasHeader: false);
IDataView scored = model.Transform(loader.Load(args[1]));
var score = scored.Schema[scoreColumn];
using (var cursor = scored.GetRowCursor(new[] { score }))
{
    if (score.Type is VectorDataViewType)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            Console.WriteLine("score " + string.Join(" ", value.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
    }
    else
    {
        var getter = cursor.GetGetter<float>(score);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            Console.WriteLine("score " + value.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}

var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").OrderBy(n => n).ToArray();
foreach (var name in loaded) Console.WriteLine("assembly " + name);
string self = typeof(Program).Assembly.GetName().Name!;
var forbidden = loaded.Where(n => n != self).Where(n => n.StartsWith("MlNetExt", StringComparison.OrdinalIgnoreCase) || n.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)).ToArray();
if (forbidden.Length > 0)
{
    Console.Error.WriteLine("forbidden assemblies loaded: " + string.Join(", ", forbidden));
    return 3;
}
return 0;
