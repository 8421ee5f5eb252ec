using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>report.html in a real browser (Debian's headless Chromium driven by Playwright): no console error, every image
/// decodes and the metric table shows the numbers of metrics.json. Skipped where no Chromium is installed.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ReportBrowserTests(CountRegressionRun run) : IClassFixture<CountRegressionRun>
{
    [Fact]
    public async Task Count_report_loads_in_Chromium_with_no_console_error_decoded_images_and_the_metrics_of_metrics_json()
    {
        if (ReportInBrowser.Chromium is null)
            Assert.Skip("no Chromium (apt-get install chromium)");
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        var page = await ReportInBrowser.OpenAsync(Path.Combine(run.Folder, "report.html"));
        ReportInBrowser.AssertShowsRun(page, run.Folder, minimumImages: 3);
    }

    [Fact]
    public async Task Console_errors_and_broken_images_are_caught()
    {
        if (ReportInBrowser.Chromium is null)
            Assert.Skip("no Chromium (apt-get install chromium)");
        using var temp = new TempFolder();
        // A page that logs an error, throws, and holds an image that cannot decode: the check must see all three.
        File.WriteAllText(temp["broken.html"], """
            <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>t</title></head><body>
            <img alt="x" src="data:image/png;base64,AAAA">
            <script>console.error('drawn badly'); throw new Error('no such chart');</script>
            </body></html>
            """);
        var page = await ReportInBrowser.OpenAsync(temp["broken.html"]);
        Assert.Contains(page.Problems, p => p.Contains("console error: drawn badly", StringComparison.Ordinal));
        Assert.Contains(page.Problems, p => p.Contains("no such chart", StringComparison.Ordinal));
        Assert.Equal(1, page.Images);
        Assert.Equal(0, page.DecodedImages);
    }
}
