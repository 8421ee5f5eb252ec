using System.Diagnostics;
using Xunit;

namespace MlNetExt.Tests.Shared;

/// <summary>GC-stress tests run alone: the finalizer count is process-wide and the forced collections slow everything down.</summary>
[CollectionDefinition(nameof(GcStressCollection), DisableParallelization = true)]
public sealed class GcStressCollection;

/// <summary>What <see cref="GcStress.Run"/> measured.</summary>
/// <param name="Fits">Fits that completed.</param>
/// <param name="Duration">Wall time of the fits.</param>
/// <param name="ForcedCollections">Full collections (each followed by the finalizers) forced while the fits ran.</param>
/// <param name="FinalizedScalars">TorchSharp Scalars that reached the finalizer (should be 0).</param>
/// <param name="FinalizedTensors">TorchSharp Tensors that reached the finalizer (tensors created outside any dispose scope and never disposed).</param>
public sealed record GcStressReport(int Fits, TimeSpan Duration, long ForcedCollections, long FinalizedScalars, long FinalizedTensors)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Fits} fits in {Duration.TotalSeconds:F1} s under {ForcedCollections} forced collections; finalized: {FinalizedScalars} Scalars, {FinalizedTensors} Tensors";
}

/// <summary>
/// Runs fits while a background thread calls <c>GC.Collect(); GC.WaitForPendingFinalizers()</c> in a loop, and counts the
/// TorchSharp Scalars and Tensors the finalizer collected meanwhile. A Scalar created implicitly (a .NET number passed to a
/// TorchSharp method) crashes the process here sooner or later, and is counted even when the race is not lost.
/// </summary>
public static class GcStress
{
    /// <summary>Runs <paramref name="fit"/> <paramref name="fits"/> times (argument: the fit's index) under forced collections.</summary>
    public static GcStressReport Run(int fits, Action<int> fit)
    {
        using var finalized = new FinalizedTorchObjects();
        finalized.SelfCheck();
        long scalarsBefore = finalized.Scalars, tensorsBefore = finalized.Tensors;

        long collections = 0;
        using var stop = new ManualResetEventSlim();
        var collector = new Thread(() =>
        {
            while (!stop.IsSet)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "GC stress" };

        var clock = Stopwatch.StartNew();
        collector.Start();
        int done = 0;
        try
        {
            for (; done < fits; done++)
                fit(done);
        }
        finally
        {
            stop.Set();
            collector.Join();
        }
        clock.Stop();
        finalized.Flush();
        var report = new GcStressReport(done, clock.Elapsed, Interlocked.Read(ref collections),
            finalized.Scalars - scalarsBefore, finalized.Tensors - tensorsBefore);
        TestContext.Current.TestOutputHelper?.WriteLine("GC stress: " + report);
        return report;
    }
}
