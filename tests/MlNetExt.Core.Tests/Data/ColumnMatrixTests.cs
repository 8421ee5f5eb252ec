using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using Xunit;

namespace MlNetExt.Core.Tests.Data;

public class ColumnMatrixTests
{
    private sealed class Row
    {
        [VectorType(2)] public double[] Embedding { get; set; } = [];
        public int Count { get; set; }
    }

    [Fact]
    public void Columns_of_one_pass_are_read_row_major_as_floats()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Embedding = [1, 2], Count = 3 }, new Row { Embedding = [4, 5], Count = 6 } });
        var embedding = NumericColumn.Find(data.Schema, "Embedding");
        var count = NumericColumn.Find(data.Schema, "Count");

        var values = ColumnMatrix.ReadFloats(data, [embedding, count], out int rows);

        Assert.Equal(2, rows);
        Assert.Equal([1f, 2, 4, 5], values[0]);
        Assert.Equal([3f, 6], values[1]);
    }

    [Fact]
    public void A_non_finite_value_names_the_role_column_row_and_slot()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Embedding = [1, 2] }, new Row { Embedding = [4, double.PositiveInfinity] } });

        var e = Assert.Throws<InvalidDataException>(() => ColumnMatrix.ReadFloats(data, "Embedding", "Embedding", out _, out _));

        Assert.Contains("Embedding column 'Embedding' has a non-finite value at row 1 (slot 1): expected finite numbers; found Infinity.", e.Message);
    }
}
