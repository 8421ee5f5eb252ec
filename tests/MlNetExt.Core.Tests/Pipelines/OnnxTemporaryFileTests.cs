using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using Xunit;

namespace MlNetExt.Core.Tests.Pipelines;

/// <summary>
/// ApplyOnnxModel needs the model in a file. MlNetExt's transformers must not leave those files behind: N transformers
/// and N saved-model loads leave the temporary directory as it was once they are released or collected.
/// Each test uses its own <see cref="MLContext.TempFilePath"/>, so it counts only its own files.
/// </summary>
public sealed class OnnxTemporaryFileTests : IDisposable
{
    private const int Count = 6;
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "mlnetext-tempfile-test-" + Guid.NewGuid().ToString("N"));

    private sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    public OnnxTemporaryFileTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private MLContext Context() => new(seed: 1) { TempFilePath = _temp };

    private string[] Files() => Directory.GetFiles(_temp, "*", SearchOption.AllDirectories);

    /// <summary>y = 2 x: a two-node graph.</summary>
    private static byte[] DoublingModel()
    {
        var graph = new OnnxGraphBuilder("doubling");
        string x = graph.AddInput("Features", OnnxDataType.Float, -1, 2);
        graph.AddNode("Mul", [x, graph.AddConstant("two", [2f])], "Doubled");
        graph.AddOutput("Doubled", OnnxDataType.Float, -1, 2);
        return graph.ToBytes();
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new Row { Features = [1f, -3f] } });

    [Fact]
    public void Released_transformers_leave_the_temporary_directory_as_it_was()
    {
        var ml = Context();
        var data = Data(ml);
        var transformers = Enumerable.Range(0, Count)
            .Select(_ => OnnxTransformerFactory.Create(ml, DoublingModel(), ["Doubled"], ["Features"], data.Schema)).ToArray();
        Assert.Equal(Count, Files().Length);
        Assert.Equal([2f, -6f], transformers[^1].Transform(data).GetColumn<VBuffer<float>>("Doubled").Single().DenseValues());

        foreach (var transformer in transformers)
            OnnxTransformerFactory.Release(transformer);

        Assert.Empty(Files());
    }

    [Fact]
    public void Collected_transformers_leave_the_temporary_directory_as_it_was()
    {
        var ml = Context();
        CreateAndScore(ml, Count);

        for (int i = 0; i < 20 && Files().Length > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(100);   // ML.NET's cursors let go of the transformers a moment later
        }

        Assert.Empty(Files());
    }

    [Fact]
    public void A_released_model_is_still_saved_and_loaded_by_ML_NET_before_release()
    {
        var ml = Context();
        var data = Data(ml);
        var transformer = OnnxTransformerFactory.Create(ml, DoublingModel(), ["Doubled"], ["Features"], data.Schema);
        using var zip = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, zip);
        OnnxTransformerFactory.Release(transformer);
        zip.Position = 0;

        var loaded = ml.Model.Load(zip, out DataViewSchema _);

        Assert.Equal([2f, -6f], loaded.Transform(data).GetColumn<VBuffer<float>>("Doubled").Single().DenseValues());
        (loaded as IDisposable)?.Dispose();
        Assert.Empty(Files());
    }

    [Fact]
    public void Loaded_models_leave_no_file_once_disposed_or_collected()
    {
        var ml = Context();
        var data = Data(ml);
        var transformer = OnnxTransformerFactory.Create(ml, DoublingModel(), ["Doubled"], ["Features"], data.Schema);
        var saved = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, saved);
        OnnxTransformerFactory.Release(transformer);
        byte[] zip = saved.ToArray();

        // ML.NET writes one file per load (its own code, deleted when the loaded model is disposed) ...
        var loaded = Enumerable.Range(0, Count).Select(_ => ml.Model.Load(new MemoryStream(zip), out DataViewSchema _)).ToArray();
        Assert.Equal(Count, Files().Length);
        foreach (var model in loaded)
            ((IDisposable)model).Dispose();
        Assert.Empty(Files());

        // ... or when the garbage collector collects it.
        LoadAndDrop(ml, zip, Count);
        for (int i = 0; i < 20 && Files().Length > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(100);
        }
        Assert.Empty(Files());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndScore(MLContext ml, int count)
    {
        var data = Data(ml);
        for (int i = 0; i < count; i++)
        {
            var transformer = OnnxTransformerFactory.Create(ml, DoublingModel(), ["Doubled"], ["Features"], data.Schema);
            Assert.Single(transformer.Transform(data).GetColumn<VBuffer<float>>("Doubled"));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LoadAndDrop(MLContext ml, byte[] zip, int count)
    {
        for (int i = 0; i < count; i++)
            Assert.NotNull(ml.Model.Load(new MemoryStream(zip), out DataViewSchema _));
    }
}
