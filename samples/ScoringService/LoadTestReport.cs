namespace ScoringService;

/// <summary>What a load test measured: the load phase's counts and latencies, each bad request's answer, memory after
/// warm-up and at the end, and how the service stopped.</summary>
public sealed record LoadTestReport(
    long Requests,
    long Rows,
    long Failed,
    long Differing,
    double Seconds,
    double[] SortedLatenciesMs,
    IReadOnlyList<BadRequestAnswer> BadRequests,
    long ManagedBytesAfterWarmUp,
    long ManagedBytesAtEnd,
    long WorkingSetAfterWarmUp,
    long WorkingSetAtEnd,
    TimeSpan StopTime,
    bool RefusedAfterStop)
{
    /// <summary>Bad requests not answered 400 with an <c>error</c> message.</summary>
    public int BadRequestProblems => BadRequests.Count(b => !b.IsClearRefusal);

    /// <summary>True when nothing failed or differed, every bad request was refused clearly and the service stopped.</summary>
    public bool Passed => Failed == 0 && Differing == 0 && BadRequestProblems == 0 && RefusedAfterStop;

    /// <summary>The latency below which the fraction <paramref name="p"/> of requests finished, in milliseconds.</summary>
    public double Percentile(double p)
        => SortedLatenciesMs.Length == 0 ? double.NaN : SortedLatenciesMs[Math.Min(SortedLatenciesMs.Length - 1, (int)(p * SortedLatenciesMs.Length))];

    /// <summary>Prints the figures the sample's load test reports.</summary>
    public void Print(TextWriter output)
    {
        foreach (var bad in BadRequests)
            output.WriteLine($"bad request '{bad.Name}': {bad.StatusCode} {(bad.Body.Length > 200 ? bad.Body[..200] + "..." : bad.Body)}");
        output.WriteLine($"{Requests:N0} requests ({Rows:N0} rows) in {Seconds:F1} s: {Requests / Seconds:N0} requests/s, {Rows / Seconds:N0} rows/s");
        output.WriteLine($"latency p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms, max {(SortedLatenciesMs.Length > 0 ? SortedLatenciesMs[^1] : double.NaN):F2} ms");
        output.WriteLine($"failed responses: {Failed}; responses differing from offline scoring: {Differing}; bad-request checks failed: {BadRequestProblems}");
        output.WriteLine($"managed memory after warm-up {ManagedBytesAfterWarmUp / 1e6:F1} MB, at the end {ManagedBytesAtEnd / 1e6:F1} MB; "
            + $"working set {WorkingSetAfterWarmUp / 1e6:F0} MB -> {WorkingSetAtEnd / 1e6:F0} MB");
        output.WriteLine($"graceful stop in {StopTime.TotalMilliseconds:F0} ms; connections refused afterwards: {RefusedAfterStop}");
    }
}

/// <summary>How the service answered one deliberately bad request.</summary>
public sealed record BadRequestAnswer(string Name, int StatusCode, string Body)
{
    /// <summary>400 with a JSON <c>error</c> message.</summary>
    public bool IsClearRefusal => StatusCode == 400 && Body.Contains("\"error\"", StringComparison.Ordinal);
}
