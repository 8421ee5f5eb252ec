using Microsoft.ML;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Tests.Shared;

/// <summary>A temporary folder for models a test saves with <c>mlContext.Model.Save</c>; deleted on dispose.</summary>
public sealed class SavedModelFolder : IDisposable
{
    private readonly string _folder;

    /// <summary>Creates the folder, its name starting with <paramref name="prefix"/>.</summary>
    public SavedModelFolder(string prefix) => _folder = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string FullName => _folder;

    /// <summary>Saves <paramref name="model"/> as <paramref name="name"/> in the folder and returns its path.</summary>
    public string Save(MLContext ml, ITransformer model, DataViewSchema schema, string name)
    {
        string path = Path.Combine(_folder, name);
        ml.Model.Save(model, schema, path);
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>Asserts that a loaded model's training history is the one it was saved with.</summary>
public static class TrainingHistoryAssert
{
    /// <summary>Same stages and same epochs (losses, learning rate, time; and, when <paramref name="compareMetrics"/>, the
    /// per-epoch metrics).</summary>
    public static void Same(TrainingHistory expected, TrainingHistory actual, bool compareMetrics)
    {
        Assert.Equal(expected.Stages.Select(s => (s.Stage, s.EpochsRun, s.BestEpoch, s.BestValidationLoss, s.StoppedEarly)),
            actual.Stages.Select(s => (s.Stage, s.EpochsRun, s.BestEpoch, s.BestValidationLoss, s.StoppedEarly)));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.Stage, e.Epoch, e.TotalEpochs, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.Elapsed),
                (a.Stage, a.Epoch, a.TotalEpochs, a.TrainLoss, a.ValidationLoss, a.LearningRate, a.Elapsed));
            if (compareMetrics)
                Assert.Equal(e.Metrics.OrderBy(m => m.Key), a.Metrics.OrderBy(m => m.Key));
        }
    }
}
