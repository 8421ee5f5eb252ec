using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Training;

/// <summary>A bad value in either part of a ValidationFraction split is reported by its row number in the user's data.</summary>
public class ValidationSplitRowNumberTests
{
    private static readonly TensorColumnSpec[] Columns = [new("Features"), new("Label") { Validate = v => v < 0 ? "is negative" : null }];

    private static IDataView DataWithBadRow(MLContext ml, int badRow)
    {
        var rows = LinearRegressionData.Rows(300, seed: 3).ToList();
        foreach (var row in rows)
            row.Label = Math.Abs(row.Label);
        rows[badRow].Label = -7;
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static InvalidDataException ReadAll(MLContext ml, IDataView data, NeuralTrainerOptions options)
        => Assert.Throws<InvalidDataException>(() =>
        {
            var (train, validation) = TrainingDataSplit.Create(ml, data, options, Columns, seed: 5);
            using (train)
            using (validation)
            {
                foreach (var batch in train.GetBatches(64, shuffle: false, seed: 0))
                    batch.Dispose();
                foreach (var batch in validation!.GetBatches(64, shuffle: false, seed: 0))
                    batch.Dispose();
            }
        });

    [Theory]
    [InlineData(0.2f, 1L << 30)]
    [InlineData(0.8f, 1L << 30)]
    [InlineData(0.5f, 64)]   // streamed through cursors
    public void The_row_number_is_the_users_in_both_parts_cached_or_streamed(float fraction, long maxInMemoryBytes)
    {
        var ml = new MLContext(1);
        var options = new NeuralTrainerOptions { ValidationFraction = fraction, MaxInMemoryBytes = maxInMemoryBytes };

        foreach (int badRow in new[] { 17, 211, 298 })
        {
            var e = ReadAll(ml, DataWithBadRow(ml, badRow), options);
            Assert.Contains($"Column 'Label' has an invalid value at row {badRow}: found -7, which is negative.", e.Message);
        }
    }

    [Fact]
    public void The_split_is_the_same_as_without_row_numbers()
    {
        var ml = new MLContext(1);
        var data = LinearRegressionData.Load(ml, 200);
        var options = new NeuralTrainerOptions { ValidationFraction = 0.3f };
        var expected = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 5).TestSet.GetColumn<float>("Label").ToArray();

        var (train, validation) = TrainingDataSplit.Create(ml, data, options, LinearRegressionData.Columns, seed: 5);
        using (train)
        using (validation)
        using (var all = validation!.GetAll()!)
            Assert.Equal(expected, all["Label"].data<float>().ToArray());
    }
}
