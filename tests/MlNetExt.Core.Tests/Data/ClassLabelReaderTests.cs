using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using Xunit;

namespace MlNetExt.Core.Tests.Data;

public class ClassLabelReaderTests
{
    private sealed class LabelRow
    {
        public string Text { get; set; } = "";
        public bool Flag { get; set; }
        public int Number { get; set; }
        public float Score { get; set; }
        [VectorType(2)] public float[] Vector { get; set; } = [];
    }

    private static IDataView Data(MLContext ml, float score = 1) => ml.Data.LoadFromEnumerable(new[]
    {
        new LabelRow { Text = "cat", Flag = true, Number = 7, Score = 1, Vector = [1, 2] },
        new LabelRow { Text = "dog", Flag = false, Number = 3, Score = 2, Vector = [1, 2] },
        new LabelRow { Text = "cat", Flag = true, Number = 7, Score = score, Vector = [1, 2] },
    });

    [Theory]
    [InlineData("Text", "cat,dog")]
    [InlineData("Flag", "true,false")]
    [InlineData("Number", "7,3")]
    [InlineData("Score", "1,2")]
    public void Text_Boolean_and_numbers_become_classes_in_order_of_first_appearance(string column, string names)
    {
        var labels = ClassLabelReader.Read(Data(new MLContext(1)), column);

        Assert.Equal([0, 1, 0], labels.Indices);
        Assert.Equal(names.Split(','), labels.Names);
        Assert.Equal(2, labels.ClassCount);
    }

    [Fact]
    public void Keys_become_classes_and_a_missing_key_names_the_row()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var keyData = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Text = "dog" } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Text", keyData: keyData).Fit(data).Transform(data);

        var e = Assert.Throws<InvalidDataException>(() => ClassLabelReader.Read(keyed, "Key", role: "Identity"));

        Assert.Contains("Identity column 'Key' has a missing label at row 0", e.Message);
        Assert.Contains("key value 0", e.Message);
    }

    private sealed class KeyRow
    {
        public string Text { get; set; } = "";
    }

    [Fact]
    public void A_NaN_label_names_the_column_and_row()
    {
        var e = Assert.Throws<InvalidDataException>(() => ClassLabelReader.Read(Data(new MLContext(1), score: float.NaN), "Score"));

        Assert.Contains("Label column 'Score' has a missing label at row 2: expected a class label; found NaN.", e.Message);
    }

    [Fact]
    public void A_vector_column_is_not_a_label()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassLabelReader.Read(Data(new MLContext(1)), "Vector"));

        Assert.Contains("must be a key, text, Boolean or numeric scalar column; found Vector<Single, 2>", e.Message);
    }

    [Fact]
    public void Key_class_names_are_the_key_values_in_key_order()
    {
        var ml = new MLContext(1);
        var data = Data(ml);
        var keyData = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Text = "dog" }, new KeyRow { Text = "cat" } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Text", keyData: keyData).Fit(data).Transform(data);

        Assert.Equal(["dog", "cat"], ClassLabelReader.KeyClassNames(keyed.Schema["Key"]));
    }

    [Fact]
    public void Key_class_names_of_a_column_that_is_not_a_key_name_the_column_and_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassLabelReader.KeyClassNames(Data(new MLContext(1)).Schema["Text"], parameterName: "input"));

        Assert.Equal("input", e.ParamName);
        Assert.Contains("Label column 'Text' must be a key column (use MapValueToKey); found String.", e.Message);
    }
}
