using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>report.html in a real browser (Debian's headless Chromium): every image decodes and the metric table shows the
/// numbers of metrics.json. Skipped where no Chromium is installed.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ReportBrowserTests(CountRegressionRun run) : IClassFixture<CountRegressionRun>
{
    private static string? Chromium => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    [Fact]
    public async Task Report_images_decode_in_Chromium_and_its_metric_table_equals_metrics_json()
    {
        if (Chromium is null)
            Assert.Skip("no Chromium (apt-get install chromium)");
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        // The report has no script of its own; a copy gets one that records, after loading, how each image decoded.
        string html = File.ReadAllText(Path.Combine(run.Folder, "report.html"));
        const string probe = """
            <script>
            window.addEventListener('load', () => {
              const images = [...document.images];
              document.body.setAttribute('data-images', String(images.length));
              document.body.setAttribute('data-decoded', String(images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length));
              document.body.setAttribute('data-metrics', [...document.querySelectorAll('[data-metric]')].map(c => c.getAttribute('data-metric') + '=' + c.textContent.trim()).join(';'));
            });
            </script>
            """;
        File.WriteAllText(temp["report.html"], html.Replace("</body>", probe + "</body>", StringComparison.Ordinal));

        var start = new ProcessStartInfo(Chromium!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", "file://" + temp["report.html"] })
            start.ArgumentList.Add(a);
        using var browser = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        var domTask = browser.StandardOutput.ReadToEndAsync(limit.Token);
        var errorsTask = browser.StandardError.ReadToEndAsync(limit.Token);
        await browser.WaitForExitAsync(limit.Token);
        string dom = await domTask, errors = await errorsTask;
        string body = BodyTag().Match(dom).Value;
        Assert.True(body.Length > 0, $"no <body> in Chromium's DOM:\n{errors}");

        int images = int.Parse(Attribute(body, "data-images"), CultureInfo.InvariantCulture);
        Assert.True(images >= 3, $"{images} images in the report");
        Assert.Equal(images, int.Parse(Attribute(body, "data-decoded"), CultureInfo.InvariantCulture));
        var shown = Attribute(body, "data-metrics").Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        var metrics = RunFolderFiles.Metrics(run.Folder);
        Assert.Equal(metrics.Keys.Order(), shown.Keys.Order());
        foreach (var (name, value) in metrics)
            Assert.True(Math.Abs(value - shown[name]) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{name}: report {shown[name]}, metrics.json {value}");
    }

    private static string Attribute(string tag, string name) => Regex.Match(tag, name + "=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();
}
