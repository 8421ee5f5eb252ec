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

    /// <summary>Runs the load test, prints its figures and returns the exit code (0 when it passed).</summary>
    public static async Task<int> RunAsync(string modelPath, int seconds, int maxRequests, int clients)
    {
        var report = await MeasureAsync(modelPath, TimeSpan.FromSeconds(seconds), maxRequests, clients, TimeSpan.FromSeconds(2), Console.Out);
        report.Print(Console.Out);
        return report.Passed ? 0 : 1;
    }

    /// <summary>Starts the service on 127.0.0.1 (a free port), sends the bad requests, warms up for at most
    /// <paramref name="warmUp"/>, drives it for at most <paramref name="duration"/> and <paramref name="maxRequests"/>
    /// requests, then stops it and checks that it refuses connections afterwards.</summary>
    public static async Task<LoadTestReport> MeasureAsync(string modelPath, TimeSpan duration, int maxRequests, int clients, TimeSpan warmUp, TextWriter log)
    {
        var rows = SyntheticModel.Rows(512, seed: 7).Select(r => r.Features).ToArray();
        var expected = OfflineScores(modelPath, rows);

        var app = Service.Build(modelPath, "http://127.0.0.1:0", maxBatchRows: 1024);
        try
        {
            await app.StartAsync();
            var address = new Uri(app.Urls.First());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = address };
            log.WriteLine($"service on {address}; {clients} clients, at most {duration.TotalSeconds:F0} s and {maxRequests:N0} requests");

            var badRequests = await SendBadRequests(http, rows[0].Length);

            // Warm-up: every pooled engine and the batched session get created.
            await Drive(http, rows, expected, clients, warmUp, 500, new ConcurrentBag<double>());
            var (managedStart, workingSetStart) = Memory();

            var latencies = new ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            var counts = await Drive(http, rows, expected, clients, duration, maxRequests, latencies);
            double elapsed = clock.Elapsed.TotalSeconds;
            var (managedEnd, workingSetEnd) = Memory();

            var stop = Stopwatch.StartNew();
            await app.StopAsync();
            var stopTime = stop.Elapsed;
            bool refused = await RefusesConnections(address);
            return new LoadTestReport(counts.Requests, counts.Rows, counts.Failed, counts.Differing, elapsed,
                latencies.OrderBy(l => l).ToArray(), badRequests, managedStart, managedEnd, workingSetStart, workingSetEnd, stopTime, refused);
        }
        finally
        {
            await app.DisposeAsync();
        }
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

    private static async Task<(long Requests, long Rows, long Failed, long Differing)> Drive(HttpClient http, float[][] rows, float[][] expected, int clients,
        TimeSpan duration, int maxRequests, ConcurrentBag<double> latencies)
    {
        long sent = 0, scored = 0, failed = 0, differing = 0;
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
                Outcome outcome;
                try
                {
                    outcome = batch ? await ScoreBatch(http, rows, expected, first) : await ScoreOne(http, rows[first], expected[first]);
                }
                catch (HttpRequestException)
                {
                    outcome = Outcome.Failed;
                }
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                Interlocked.Add(ref scored, batch ? BatchRows : 1);
                if (outcome == Outcome.Failed)
                    Interlocked.Increment(ref failed);
                else if (outcome == Outcome.Differing)
                    Interlocked.Increment(ref differing);
            }
        })));
        return (sent, scored, failed, differing);
    }

    private enum Outcome { Same, Differing, Failed }

    private static async Task<Outcome> ScoreOne(HttpClient http, float[] features, float[] expected)
    {
        using var response = await http.PostAsJsonAsync("/score", new { features });
        if (response.StatusCode != HttpStatusCode.OK)
            return Outcome.Failed;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Same(expected, json.RootElement.GetProperty("score")) ? Outcome.Same : Outcome.Differing;
    }

    private static async Task<Outcome> ScoreBatch(HttpClient http, float[][] rows, float[][] expected, int first)
    {
        using var response = await http.PostAsJsonAsync("/score/batch", new { rows = rows[first..(first + BatchRows)] });
        if (response.StatusCode != HttpStatusCode.OK)
            return Outcome.Failed;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var scores = json.RootElement.GetProperty("scores");
        if (scores.GetArrayLength() != BatchRows)
            return Outcome.Differing;
        int i = first;
        foreach (var score in scores.EnumerateArray())
        {
            if (!Same(expected[i++], score))
                return Outcome.Differing;
        }
        return Outcome.Same;
    }

    /// <summary>Equal within float rounding (the batched path may use other ONNX Runtime kernels than one row).</summary>
    private static bool Same(float[] expected, JsonElement actual)
    {
        var values = actual.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return values.Length == expected.Length
            && expected.Zip(values).All(p => Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(1, Math.Abs(p.First)));
    }

    /// <summary>Sends bad requests (wrong width, wrong value type, not JSON, too many rows, a body over the limit) and
    /// records each answer.</summary>
    private static async Task<IReadOnlyList<BadRequestAnswer>> SendBadRequests(HttpClient http, int width)
    {
        var cases = new (string Name, string Path, HttpContent Body)[]
        {
            ("wrong width", "/score", JsonContent.Create(new { features = new float[width + 1] })),
            ("wrong type", "/score", new StringContent("{\"features\":[\"a\"]}", Encoding.UTF8, "application/json")),
            ("not JSON", "/score", new StringContent("features=1", Encoding.UTF8, "text/plain")),
            ("too many rows", "/score/batch", JsonContent.Create(new { rows = Enumerable.Repeat(new float[width], 1025).ToArray() })),
            ("oversized body", "/score/batch", new StringContent("{\"rows\":[" + new string(' ', (int)ScoringApi.MaxBodyBytes) + "]}", Encoding.UTF8, "application/json")),
        };
        var answers = new List<BadRequestAnswer>();
        foreach (var (name, path, body) in cases)
        {
            // Expect: 100-continue lets the service answer before the client sends a body it refuses.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request);
            answers.Add(new BadRequestAnswer(name, (int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        return answers;
    }

    /// <summary>True when a new connection to the stopped service's address is refused.</summary>
    private static async Task<bool> RefusesConnections(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync("/health");
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(forceFullCollection: true), Process.GetCurrentProcess().WorkingSet64);
    }
}
