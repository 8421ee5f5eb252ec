using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ScoringService;

/// <summary>
/// Starts the service on 127.0.0.1 (a free port), checks that bad requests get 400 with a message, then drives it with
/// concurrent clients for a bounded time and request count (7 of 8 requests one row, 1 of 8 a batch of 32 rows) and
/// reports throughput, p50/p99 latency, failures, managed memory and working set after warm-up and at the end. Every
/// response is compared with offline scoring by plain ML.NET (<c>mlContext.Model.Load</c>, row by row). Exit code 1 on any
/// failed or differing response.
/// </summary>
public static class LoadTest
{
    private const int BatchRows = 32;

    public static async Task<int> RunAsync(string modelPath, int seconds, int maxRequests, int clients)
    {
        var rows = SyntheticModel.Rows(512, seed: 7).Select(r => r.Features).ToArray();
        var expected = OfflineScores(modelPath, rows);

        await using var app = Service.Build(modelPath, "http://127.0.0.1:0", maxBatchRows: 1024);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = address };
        Console.WriteLine($"service on {address}; {clients} clients, at most {seconds} s and {maxRequests:N0} requests");

        int problems = await CheckBadRequests(http, rows[0].Length);

        // Warm-up: every pooled engine and the batched session get created.
        await Drive(http, rows, expected, clients, TimeSpan.FromSeconds(2), 500, new ConcurrentBag<double>());
        var (managedStart, workingSetStart) = Memory();

        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var (requests, scoredRows, failures) = await Drive(http, rows, expected, clients, TimeSpan.FromSeconds(seconds), maxRequests, latencies);
        double elapsed = clock.Elapsed.TotalSeconds;
        var (managedEnd, workingSetEnd) = Memory();

        var sorted = latencies.OrderBy(l => l).ToArray();
        Console.WriteLine($"{requests:N0} requests ({scoredRows:N0} rows) in {elapsed:F1} s: {requests / elapsed:N0} requests/s, {scoredRows / elapsed:N0} rows/s");
        Console.WriteLine($"latency p50 {Percentile(sorted, 0.50):F2} ms, p99 {Percentile(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms");
        Console.WriteLine($"failed or differing responses: {failures}; bad-request checks failed: {problems}");
        Console.WriteLine($"managed memory after warm-up {managedStart / 1e6:F1} MB, at the end {managedEnd / 1e6:F1} MB; "
            + $"working set {workingSetStart / 1e6:F0} MB -> {workingSetEnd / 1e6:F0} MB");

        var stop = Stopwatch.StartNew();
        await app.StopAsync();
        Console.WriteLine($"graceful stop in {stop.Elapsed.TotalMilliseconds:F0} ms");
        return failures == 0 && problems == 0 ? 0 : 1;
    }

    private static float[][] OfflineScores(string modelPath, float[][] rows)
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(modelPath, out _);
        var definition = SchemaDefinition.Create(typeof(ServedModel.FeatureRow));
        definition[nameof(ServedModel.FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Length);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new ServedModel.FeatureRow { Features = r }), definition);
        return model.Transform(data).GetColumn<VBuffer<float>>(ServedModel.OutputColumn).Select(v => v.DenseValues().ToArray()).ToArray();
    }

    private static async Task<(long Requests, long Rows, long Failures)> Drive(HttpClient http, float[][] rows, float[][] expected, int clients,
        TimeSpan duration, int maxRequests, ConcurrentBag<double> latencies)
    {
        long sent = 0, scored = 0, failures = 0;
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            while (deadline.Elapsed < duration)
            {
                long n = Interlocked.Increment(ref sent);
                if (n > maxRequests)
                {
                    Interlocked.Decrement(ref sent);
                    break;
                }
                bool batch = n % 8 == 0;
                int first = random.Next(rows.Length - BatchRows);
                var clock = Stopwatch.StartNew();
                bool ok;
                try
                {
                    ok = batch ? await ScoreBatch(http, rows, expected, first) : await ScoreOne(http, rows[first], expected[first]);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                Interlocked.Add(ref scored, batch ? BatchRows : 1);
                if (!ok)
                    Interlocked.Increment(ref failures);
            }
        })));
        return (sent, scored, failures);
    }

    private static async Task<bool> ScoreOne(HttpClient http, float[] features, float[] expected)
    {
        using var response = await http.PostAsJsonAsync("/score", new { features });
        if (response.StatusCode != HttpStatusCode.OK)
            return false;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Same(expected, json.RootElement.GetProperty("score"));
    }

    private static async Task<bool> ScoreBatch(HttpClient http, float[][] rows, float[][] expected, int first)
    {
        using var response = await http.PostAsJsonAsync("/score/batch", new { rows = rows[first..(first + BatchRows)] });
        if (response.StatusCode != HttpStatusCode.OK)
            return false;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var scores = json.RootElement.GetProperty("scores");
        if (scores.GetArrayLength() != BatchRows)
            return false;
        int i = first;
        foreach (var score in scores.EnumerateArray())
        {
            if (!Same(expected[i++], score))
                return false;
        }
        return true;
    }

    /// <summary>Equal within float rounding (the batched path may use other ONNX Runtime kernels than one row).</summary>
    private static bool Same(float[] expected, JsonElement actual)
    {
        var values = actual.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return values.Length == expected.Length
            && expected.Zip(values).All(p => Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(1, Math.Abs(p.First)));
    }

    /// <summary>Sends bad requests and counts those not answered 400 with an error message.</summary>
    private static async Task<int> CheckBadRequests(HttpClient http, int width)
    {
        var cases = new (string Name, string Path, HttpContent Body)[]
        {
            ("wrong width", "/score", JsonContent.Create(new { features = new float[width + 1] })),
            ("wrong type", "/score", new StringContent("{\"features\":[\"a\"]}", Encoding.UTF8, "application/json")),
            ("not JSON", "/score", new StringContent("features=1", Encoding.UTF8, "text/plain")),
            ("too many rows", "/score/batch", JsonContent.Create(new { rows = Enumerable.Repeat(new float[width], 1025).ToArray() })),
            ("oversized body", "/score/batch", new StringContent("{\"rows\":[" + new string(' ', (int)ScoringApi.MaxBodyBytes) + "]}", Encoding.UTF8, "application/json")),
        };
        int problems = 0;
        foreach (var (name, path, body) in cases)
        {
            // Expect: 100-continue lets the service answer before the client sends a body it refuses.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            bool ok = response.StatusCode == HttpStatusCode.BadRequest && text.Contains("\"error\"", StringComparison.Ordinal);
            Console.WriteLine($"bad request '{name}': {(int)response.StatusCode} {(text.Length > 200 ? text[..200] + "..." : text)}");
            if (!ok)
                problems++;
        }
        return problems;
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(forceFullCollection: true), Process.GetCurrentProcess().WorkingSet64);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
