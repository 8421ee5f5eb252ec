using System.Text.Json;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>The generated consumption project builds offline (from the NuGet cache) and predicts what <c>mlnetext predict</c>
/// prints. Slow: a restore and build of a separate project (about a minute).</summary>
[Trait("Category", "Slow")]
[Trait("Category", "EndToEnd")]
public sealed class ConsumeProjectTests(CountRegressionRun run) : IClassFixture<CountRegressionRun>
{
    [Fact]
    public async Task Generated_consume_project_builds_runs_and_predicts_what_predict_prints()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        float consumed = (await ConsumeProject.RunAsync(run.Folder)).GetProperty("Score").GetSingle();

        var predict = CliRun.Run(run.Root, "predict", "--model", run.Folder, "--input", run.Data, "--rows", "1", "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        float predicted = JsonDocument.Parse(predict.StandardOutput).RootElement[0].GetProperty("Score").GetSingle();
        Assert.Equal(predicted, consumed, 5);
    }
}

/// <summary>The image scenario's consumption project (Microsoft.ML.ImageAnalytics + OnnxTransformer) builds offline and gives
/// the class and probabilities <c>mlnetext predict</c> prints for the data set's first image. Slow: a training run and a build.</summary>
[Trait("Category", "Slow")]
[Trait("Category", "EndToEnd")]
public sealed class ImageConsumeProjectTests(ImageClassificationRun run) : IClassFixture<ImageClassificationRun>
{
    [Fact]
    public async Task Image_consume_project_builds_runs_and_predicts_the_first_image_as_predict_does()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        var consumed = await ConsumeProject.RunAsync(run.Folder);

        // The first image of the data set: the first file of the first class folder (ordinal order, as the tool reads it).
        string first = Directory.GetFiles(Path.Combine(run.Images, "horizontal")).Order(StringComparer.Ordinal).First();
        var predict = CliRun.Run(run.Images, "predict", "--model", run.Folder, "--input", first, "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var predicted = JsonDocument.Parse(predict.StandardOutput).RootElement[0];
        Assert.Equal(predicted.GetProperty("PredictedLabel").GetString(), consumed.GetProperty("PredictedLabel").GetString());
        float[] expected = predicted.GetProperty("Score").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] actual = consumed.GetProperty("Score").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 5);
    }
}
