using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.IO;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Tests.Counts;
using Xunit;

namespace MlNetExt.Regression.Tests.Reliability;

/// <summary>N fits and N loads of a count model leave MLContext.TempFilePath as it was (ApplyOnnxModel needs the model
/// in a file; those files must not accumulate in a long-running process).</summary>
public sealed class TemporaryFileTests : IDisposable
{
    private const int Count = 3;
    private readonly string _temp = Directory.CreateTempSubdirectory("mlnetext-fits-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string[] Files() => Directory.GetFiles(_temp, "*", SearchOption.AllDirectories);

    [Fact]
    public void Fits_and_loads_leave_the_temporary_directory_as_it_was_once_disposed()
    {
        var ml = new MLContext(1) { TempFilePath = _temp };
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 3));
        string zip = Path.Combine(Path.GetTempPath(), $"mlnetext-fits-{Guid.NewGuid():N}.zip");
        try
        {
            for (int i = 0; i < Count; i++)
            {
                using var model = new NeuralPoissonTrainer(ml, new NeuralPoissonOptions { Epochs = 1, Seed = i, HiddenLayers = [4] }).Fit(data);
                ml.Model.SaveAtomic(model, data.Schema, zip);
            }
            Assert.Empty(Files());

            for (int i = 0; i < Count; i++)
            {
                var loaded = ml.Model.Load(zip, out _);
                Assert.Equal(200, loaded.Transform(data).GetColumn<float>("Score").Count());
                ((IDisposable)loaded).Dispose();
            }
            Assert.Empty(Files());
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public void Fitted_models_that_are_never_disposed_leave_no_file_once_collected()
    {
        var ml = new MLContext(1) { TempFilePath = _temp };
        FitAndDrop(ml, Count);

        for (int i = 0; i < 20 && Files().Length > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(100);
        }

        Assert.Empty(Files());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FitAndDrop(MLContext ml, int count)
    {
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 4));
        for (int i = 0; i < count; i++)
        {
            var model = new NeuralPoissonTrainer(ml, new NeuralPoissonOptions { Epochs = 1, Seed = i, HiddenLayers = [4] }).Fit(data);
            Assert.Equal(200, model.Transform(data).GetColumn<float>("Score").Count());
        }
    }
}
