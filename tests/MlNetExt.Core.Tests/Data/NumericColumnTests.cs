using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using Xunit;

namespace MlNetExt.Core.Tests.Data;

public class NumericColumnTests
{
    private sealed class TypedRow
    {
        public double Double { get; set; }
        public int Int32 { get; set; }
        public long Int64 { get; set; }
        public byte Byte { get; set; }
        public ushort UInt16 { get; set; }
        public bool Boolean { get; set; }
        [VectorType(3)] public double[] DoubleVector { get; set; } = [];
        [VectorType(2)] public bool[] BooleanVector { get; set; } = [];
        public string Text { get; set; } = "";
        public float[] Variable { get; set; } = [];
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new TypedRow { Double = 1.5, Int32 = -2, Int64 = 3, Byte = 4, UInt16 = 5, Boolean = true, DoubleVector = [1, 2, 3], BooleanVector = [true, false], Text = "a", Variable = [1] },
        new TypedRow { Double = 0.25, Int32 = 7, Int64 = -8, Byte = 9, UInt16 = 10, Boolean = false, DoubleVector = [4, 5, 6], BooleanVector = [false, true], Text = "b", Variable = [1, 2] },
    });

    private static double[][] ReadDoubles(IDataView data, string name)
    {
        var column = NumericColumn.Find(data.Schema, name);
        var rows = new List<double[]>();
        using var cursor = data.GetRowCursor([column.Column]);
        var reader = column.CreateReader(cursor);
        while (cursor.MoveNext())
        {
            var values = new double[column.Width];
            reader.Read(values.AsSpan());
            rows.Add(values);
        }
        return rows.ToArray();
    }

    [Theory]
    [InlineData("Double", 1.5, 0.25)]
    [InlineData("Int32", -2.0, 7.0)]
    [InlineData("Int64", 3.0, -8.0)]
    [InlineData("Byte", 4.0, 9.0)]
    [InlineData("UInt16", 5.0, 10.0)]
    [InlineData("Boolean", 1.0, 0.0)]
    public void Every_numeric_and_Boolean_scalar_is_read_as_a_number(string column, double first, double second)
    {
        var data = Data(new MLContext(1));

        Assert.Equal([[first], [second]], ReadDoubles(data, column));
        Assert.Equal(1, NumericColumn.Find(data.Schema, column, NumericColumnShape.Scalar).Width);
    }

    [Fact]
    public void Vectors_of_Double_and_Boolean_are_read_as_numbers()
    {
        var data = Data(new MLContext(1));

        Assert.Equal([[1.0, 2, 3], [4.0, 5, 6]], ReadDoubles(data, "DoubleVector"));
        Assert.Equal([[1.0, 0], [0.0, 1]], ReadDoubles(data, "BooleanVector"));
    }

    [Fact]
    public void A_sparse_vector_is_expanded()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new SparseRow { V = new VBuffer<double>(4, 1, [5.0], [2]) } });

        Assert.Equal([[0.0, 0, 5, 0]], ReadDoubles(data, "V"));
    }

    private sealed class SparseRow
    {
        [VectorType(4)] public VBuffer<double> V { get; set; }
    }

    [Fact]
    public void A_missing_column_is_named_with_what_was_expected_and_the_columns_there_are()
    {
        var e = Assert.Throws<ArgumentException>(() => NumericColumn.Find(Data(new MLContext(1)).Schema, "Nope", role: "Label"));

        Assert.Contains("Label column 'Nope' was not found", e.Message);
        Assert.Contains("numeric scalar or known-size vector", e.Message);
        Assert.Contains("'Double'", e.Message);
    }

    [Fact]
    public void Text_keys_variable_size_and_vector_where_scalar_expected_are_named_with_the_type_found()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Text").Fit(data).Transform(data);

        var text = Assert.Throws<ArgumentException>(() => NumericColumn.Find(data.Schema, "Text"));
        var key = Assert.Throws<ArgumentException>(() => NumericColumn.Find(keyed.Schema, "Key"));
        var variable = Assert.Throws<ArgumentException>(() => NumericColumn.Find(data.Schema, "Variable"));
        var vector = Assert.Throws<ArgumentException>(() => NumericColumn.Find(data.Schema, "DoubleVector", NumericColumnShape.Scalar));
        var width = Assert.Throws<ArgumentException>(() => NumericColumn.Find(data.Schema, "DoubleVector", expectedWidth: 2));

        Assert.Contains("Column 'Text' must be", text.Message);
        Assert.Contains("found String", text.Message);
        Assert.Contains("key type", key.Message);
        Assert.Contains("MapKeyToValue", key.Message);
        Assert.Contains("variable-size", variable.Message);
        Assert.Contains("found the vector Vector<Double, 3>", vector.Message);
        Assert.Contains("must be a vector of size 2", width.Message);
    }

    [Fact]
    public void A_variable_size_row_of_the_wrong_size_names_the_column_and_row()
    {
        var data = Data(new MLContext(1));
        var column = NumericColumn.Find(data.Schema, "Variable", expectedWidth: 1);
        using var cursor = data.GetRowCursor([column.Column]);
        var reader = column.CreateReader(cursor);
        var values = new float[1];
        cursor.MoveNext();
        reader.Read(values.AsSpan());
        cursor.MoveNext();

        var e = Assert.Throws<InvalidDataException>(() => reader.Read(values.AsSpan()));

        Assert.Contains("Column 'Variable' has a vector of the wrong size at row 1: expected size 1; found size 2.", e.Message);
    }
}
