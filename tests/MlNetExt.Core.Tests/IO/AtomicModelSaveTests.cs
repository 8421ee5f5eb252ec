using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.IO;
using Xunit;

namespace MlNetExt.Core.Tests.IO;

public class AtomicModelSaveTests
{
    private sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>A transformer that scores like its inner one but cannot be saved (as a custom, unregistered transformer).</summary>
    private sealed class Unsavable(ITransformer inner) : ITransformer
    {
        public bool IsRowToRowMapper => inner.IsRowToRowMapper;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inner.GetOutputSchema(inputSchema);
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => inner.GetRowToRowMapper(inputSchema);
        public IDataView Transform(IDataView input) => inner.Transform(input);
        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new InvalidOperationException("this transformer cannot be saved");
    }

    private static (MLContext Ml, IDataView Data, ITransformer Model) Fitted()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] }, new Row { Features = [3, 5] } });
        var model = ml.Transforms.NormalizeMinMax("Features").Fit(data);
        return (ml, data, model);
    }

    [Fact]
    public void SaveAtomic_writes_a_model_that_Load_reads()
    {
        var (ml, data, model) = Fitted();
        string folder = Directory.CreateTempSubdirectory("mlnetext-save-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.zip");

            ml.Model.SaveAtomic(model, data.Schema, path);

            var loaded = ml.Model.Load(path, out var schema);
            Assert.Equal(model.Transform(data).GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()),
                loaded.Transform(data).GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()));
            Assert.NotNull(schema.GetColumnOrNull("Features"));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_failed_SaveAtomic_leaves_the_previous_model_intact_where_Model_Save_destroys_it()
    {
        var (ml, data, model) = Fitted();
        string folder = Directory.CreateTempSubdirectory("mlnetext-save-").FullName;
        try
        {
            string atomic = Path.Combine(folder, "atomic.zip"), plain = Path.Combine(folder, "plain.zip");
            ml.Model.Save(model, data.Schema, atomic);
            ml.Model.Save(model, data.Schema, plain);
            byte[] good = File.ReadAllBytes(atomic);
            var broken = new Unsavable(model);

            Assert.ThrowsAny<Exception>(() => ml.Model.SaveAtomic(broken, data.Schema, atomic));
            Assert.ThrowsAny<Exception>(() => ml.Model.Save(broken, data.Schema, plain));

            Assert.Equal(good, File.ReadAllBytes(atomic));
            Assert.NotNull(ml.Model.Load(atomic, out _));
            Assert.NotEqual(good.Length, new FileInfo(plain).Length);   // ML.NET's own Save truncated the good model
            Assert.Equal(new[] { atomic, plain }.Order(), Directory.GetFiles(folder).Order());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
