using System.Globalization;
using Microsoft.Playwright;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>What a report page showed in the browser.</summary>
public sealed record BrowserPage(IReadOnlyList<string> Problems, int Images, int DecodedImages, IReadOnlyDictionary<string, string> ShownMetrics);

/// <summary>
/// Opens a page in Debian's Chromium driven by Playwright for .NET (the system browser through ExecutablePath, so nothing is
/// downloaded): collects console errors, uncaught page errors and failed requests while it loads, then counts the images
/// that decoded (naturalWidth and naturalHeight above 0) and reads the metric table's cells (data-metric).
/// </summary>
public static class ReportInBrowser
{
    /// <summary>The system Chromium, or null where none is installed.</summary>
    public static string? Chromium => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Loads <paramref name="file"/>; with <paramref name="screenshot"/>, also saves the top of the page as PNG (1100 x 1800).</summary>
    public static async Task<BrowserPage> OpenAsync(string file, string? screenshot = null)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium ?? throw new InvalidOperationException("no Chromium installed"),
            Headless = true,
            // Tests run as root in CI, where Chromium refuses its sandbox.
            Args = ["--no-sandbox", "--disable-gpu"],
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1800 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (problems) problems.Add($"console error: {message.Text}");
        };
        page.PageError += (_, error) => { lock (problems) problems.Add($"page error: {error}"); };
        page.RequestFailed += (_, request) => { lock (problems) problems.Add($"failed request: {request.Url} ({request.Failure})"); };
        await page.GotoAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });

        int[] decoded = await page.EvaluateAsync<int[]>("() => [...document.images].map(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0 ? 1 : 0)");
        string[][] cells = await page.EvaluateAsync<string[][]>("() => [...document.querySelectorAll('[data-metric]')].map(c => [c.getAttribute('data-metric'), c.textContent.trim()])");
        if (screenshot is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(screenshot))!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = false });
        }
        lock (problems)
            return new BrowserPage([.. problems], decoded.Length, decoded.Sum(), cells.ToDictionary(c => c[0], c => c[1]));
    }

    /// <summary>No console error, failed request or page error; every image decoded; the metric table equals metrics.json.</summary>
    public static void AssertShowsRun(BrowserPage page, string runFolder, int minimumImages)
    {
        Assert.True(page.Problems.Count == 0, "the page reported:\n" + string.Join("\n", page.Problems));
        Assert.True(page.Images >= minimumImages, $"{page.Images} images in the report");
        Assert.Equal(page.Images, page.DecodedImages);
        var metrics = RunFolderFiles.Metrics(runFolder);
        Assert.Equal(metrics.Keys.Order(), page.ShownMetrics.Keys.Order());
        foreach (var (name, value) in metrics)
        {
            double shown = double.Parse(page.ShownMetrics[name], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(value - shown) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{name}: report {shown}, metrics.json {value}");
        }
    }
}
