using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>Ctrl+C (SIGINT) during training ends it at the end of the current batch and still writes a complete run folder
/// with the best model so far.</summary>
[Trait("Category", "EndToEnd")]
public sealed class InterruptTests
{
    [Fact]
    public void Ctrl_C_during_training_leaves_a_complete_run_folder_with_the_best_model_so_far()
    {
        if (CliRun.SigIntIgnored)
            Assert.Skip("SIGINT is ignored in this process (started as a background job of a non-interactive shell), so the tool would inherit that and never see Ctrl+C; run the tests in the foreground");
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 300, seed: 5);
        int sent = 0;
        var result = CliRun.Run(temp.Path, (process, line) =>
        {
            // Plain progress lines (output is redirected): interrupt once the third epoch has finished.
            if (line.Contains("epoch 3/", StringComparison.Ordinal) && Interlocked.Exchange(ref sent, 1) == 0)
                CliRun.Interrupt(process);
        }, "count-regression", "--data", temp["counts.csv"], "--label", "y", "--epochs", "100000", "--batch-size", "16",
            "--output", temp["run"]);

        Assert.Equal(1, sent);
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("Ctrl+C", result.StandardOutput + result.StandardError);
        RunFolderFiles.AssertComplete(temp["run"]);
        var training = RunFolderFiles.Json(temp["run"], "metrics.json").GetProperty("training");
        Assert.True(training.GetProperty("stopped_by_user").GetBoolean());
        int epochs = training.GetProperty("epochs_run").GetInt32();
        Assert.InRange(epochs, 3, 1000);
        Assert.InRange(training.GetProperty("best_epoch").GetInt32(), 1, epochs);
        Assert.Equal(epochs + 1, File.ReadAllLines(temp["run/history.csv"]).Length);
        Assert.True(RunFolderFiles.Metrics(temp["run"])["mean_deviance"] > 0);
    }
}
