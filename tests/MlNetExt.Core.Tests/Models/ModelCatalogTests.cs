using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Models;

/// <summary><c>mlContext.DeepLearning().Model</c>: saving, and loading with MlNetExt models restored as their types.</summary>
public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-models-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10)
        .Select(i => new Row { Features = [i, -i], Label = i }).ToArray());

    private static TrainingHistory History()
    {
        var metrics = new Dictionary<string, double> { ["recall@1"] = 0.5, ["undefined"] = double.NaN };
        var epochs = new[] { new TrainingProgress("head", 1, 2, 1.5, 1.25, 0.001, TimeSpan.FromMilliseconds(1234.5678), metrics) };
        return new TrainingHistory([new TrainingResult("head", epochs, 1, 1, 1.25, stoppedEarly: true)]);
    }

    private static float[][] Outputs(ITransformer model, IDataView data)
        => model.Transform(data).GetColumn<VBuffer<float>>("Output").Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void A_saved_model_loads_back_as_its_type_with_history_and_extras_and_the_same_scores()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var model = ScaleModel.Create(ml, data.Schema, 2, 2.5f, History());
        string path = Path.Combine(_folder, "scale.zip");
        ml.DeepLearning().Model.Save(model, data.Schema, path);

        var loaded = Assert.IsType<ScaleModel>(new MLContext(2).DeepLearning().Model.Load(path, out var schema));

        Assert.Equal(2.5f, loaded.Factor);
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal(Outputs(model, data), Outputs(loaded, data));
        Assert.Equal(["Features", "Label"], schema.Select(c => c.Name));
        var epoch = Assert.Single(loaded.History);
        Assert.Equal(("head", 1, 2, 1.5, (double?)1.25, 0.001, TimeSpan.FromMilliseconds(1234.5678)),
            (epoch.Stage, epoch.Epoch, epoch.TotalEpochs, epoch.TrainLoss, epoch.ValidationLoss, epoch.LearningRate, epoch.Elapsed));
        Assert.Equal(0.5, epoch.Metrics["recall@1"]);
        Assert.True(double.IsNaN(epoch.Metrics["undefined"]));
        Assert.True(loaded.History.StoppedEarly);
        Assert.Equal("1", loaded.OnnxMetadata["mlnetext.format_version"]);
        Assert.Equal("test_scale", loaded.OnnxMetadata["mlnetext.model"]);
    }

    [Fact]
    public void A_model_inside_a_pipeline_is_restored_in_place_and_Load_of_its_type_returns_it()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var copy = ml.Transforms.CopyColumns("Copied", "Label").Fit(data);
        var model = ScaleModel.Create(ml, copy.GetOutputSchema(data.Schema), 2, -1f, TrainingHistory.Empty);
        var pipeline = new TransformerChain<ITransformer>(copy, model);
        string path = Path.Combine(_folder, "pipeline.zip");
        ml.Model.Save(pipeline, data.Schema, path);

        var loaded = Assert.IsType<TransformerChain<ITransformer>>(ml.DeepLearning().Model.Load(path, out _));
        var single = ml.DeepLearning().Model.Load<ScaleModel>(path, out _);

        Assert.Equal(2, loaded.Count());
        Assert.IsType<ScaleModel>(loaded.Last());
        Assert.Equal(Outputs(pipeline, data), Outputs(loaded, data));
        Assert.Equal(-1f, single.Factor);
        Assert.Empty(single.History);
    }

    [Fact]
    public void A_zip_without_MlNetExt_parts_loads_as_the_plain_chain()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var plain = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.CopyColumns("Copied", "Label")).Fit(data);
        byte[] onnx = OnnxModuleExporter.Export(TorchSharp.torch.nn.Linear(2, 1), [2], inputName: "Features", outputName: "Output");
        var untagged = new TransformerChain<ITransformer>(OnnxTransformerFactory.Create(ml, onnx, ["Output"], ["Features"], data.Schema));
        string plainPath = Path.Combine(_folder, "plain.zip"), untaggedPath = Path.Combine(_folder, "untagged.zip");
        ml.Model.Save(plain, data.Schema, plainPath);
        ml.Model.Save(untagged, data.Schema, untaggedPath);

        var loadedPlain = ml.DeepLearning().Model.Load(plainPath, out _);
        var loadedUntagged = ml.DeepLearning().Model.Load(untaggedPath, out _);
        var e = Assert.Throws<InvalidOperationException>(() => ml.DeepLearning().Model.Load<ScaleModel>(plainPath, out _));

        Assert.IsType<TransformerChain<ITransformer>>(loadedPlain);
        Assert.IsNotAssignableFrom<OnnxModelTransformer>(loadedUntagged);
        Assert.Equal(plain.Transform(data).GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()),
            loadedPlain.Transform(data).GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()));
        Assert.Equal(Outputs(untagged, data), Outputs(loadedUntagged, data));
        Assert.Contains("holds no ScaleModel ('test_scale'): it holds no MlNetExt model, only standard ML.NET transformers", e.Message);
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_file_and_no_temporary_file()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        string path = Path.Combine(_folder, "kept.zip");
        File.WriteAllText(path, "previous model");

        Assert.ThrowsAny<Exception>(() => ml.DeepLearning().Model.Save(new FailingTransformer(), data.Schema, path));

        Assert.Equal("previous model", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Named_ONNX_models_are_listed_and_an_unknown_name_lists_them()
    {
        var ml = new MLContext(1);
        var model = ScaleModel.Create(ml, Data(ml).Schema, 2, 3f, TrainingHistory.Empty);
        string path = Path.Combine(_folder, "copy.onnx");

        model.ExportToOnnx(path, "Copy");
        var e = Assert.Throws<ArgumentException>(() => model.GetOnnxModel("ViewC"));

        Assert.Equal(["Scale", "Copy"], model.OnnxModelNames);
        Assert.Equal(model.GetOnnxModel(), File.ReadAllBytes(path));
        Assert.Contains("no ONNX model named 'ViewC'; it has 'Scale', 'Copy'", e.Message);
    }

    [Fact]
    public void Every_sub_catalog_holds_the_users_context()
    {
        var ml = new MLContext(1);
        var dl = ml.DeepLearning();

        Assert.All(new[]
        {
            dl.Context, dl.Regression.Context, dl.Regression.Trainers.Context, dl.MulticlassClassification.Trainers.Context,
            dl.BinaryClassification.Trainers.Context, dl.Transforms.Context, dl.Data.Context, dl.Embeddings.Context, dl.Model.Context,
        }, context => Assert.Same(ml, context));
    }

    private sealed class FailingTransformer : ITransformer
    {
        public bool IsRowToRowMapper => true;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();
        public IDataView Transform(IDataView input) => input;
        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new IOException("disk full");
    }
}
