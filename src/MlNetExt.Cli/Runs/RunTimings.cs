using System.Diagnostics;

namespace MlNetExt.Cli.Runs;

/// <summary>Wall-clock time of each phase of a run (the report's timings table).</summary>
internal sealed class RunTimings
{
    private readonly List<(string Phase, TimeSpan Duration)> _phases = [];

    public IReadOnlyList<(string Phase, TimeSpan Duration)> Phases => _phases;

    public TimeSpan Of(string phase) => _phases.Where(p => p.Phase == phase).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Duration);

    /// <summary>Times the block until the returned scope is disposed.</summary>
    public IDisposable Measure(string phase) => new Scope(this, phase);

    public T Measure<T>(string phase, Func<T> work)
    {
        using (Measure(phase))
            return work();
    }

    private sealed class Scope(RunTimings timings, string phase) : IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Dispose() => timings._phases.Add((phase, _clock.Elapsed));
    }
}
