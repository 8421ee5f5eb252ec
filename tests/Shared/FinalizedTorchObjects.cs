using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace MlNetExt.Tests.Shared;

/// <summary>
/// Counts the TorchSharp <see cref="Scalar"/>s and <see cref="torch.Tensor"/>s that the garbage collector finalized: the
/// runtime's own <c>FinalizeObject</c> event (GC keyword, verbose) names the type of every finalized object. A Scalar that
/// reaches the finalizer was never disposed, so nothing guaranteed it outlived the native call it was passed to: under GC
/// pressure that is the process abort of TorchSharp 0.107 (<c>Expected false to be true ... Scalar.h</c>).
/// Process-wide: use it only in tests that run alone (the GcStressCollection).
/// </summary>
public sealed class FinalizedTorchObjects : EventListener
{
    private static readonly IntPtr ScalarType = typeof(Scalar).TypeHandle.Value;
    private static readonly IntPtr TensorType = typeof(torch.Tensor).TypeHandle.Value;
    private static readonly IntPtr SentinelType = typeof(Sentinel).TypeHandle.Value;
    private long _scalars;
    private long _tensors;
    private long _sentinels;

    /// <summary>Finalized Scalars seen so far.</summary>
    public long Scalars => Interlocked.Read(ref _scalars);

    /// <summary>Finalized Tensors seen so far.</summary>
    public long Tensors => Interlocked.Read(ref _tensors);

    /// <summary>
    /// Runs the finalizers of everything unreachable and waits until their events have arrived (a sentinel object is
    /// finalized last and its event awaited), so <see cref="Scalars"/> and <see cref="Tensors"/> are complete.
    /// </summary>
    public void Flush()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        long before = Interlocked.Read(ref _sentinels);
        DropSentinel();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Interlocked.Read(ref _sentinels) == before)
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("The runtime's FinalizeObject events did not arrive: the finalizer count cannot be trusted.");
            Thread.Sleep(20);
        }
    }

    /// <summary>Proves that the listener sees finalized Scalars: an implicit Scalar is made, dropped and must be counted.</summary>
    public void SelfCheck()
    {
        long before = Scalars;
        DropImplicitScalar();
        Flush();
        if (Scalars <= before)
            throw new InvalidOperationException("A dropped Scalar was not reported as finalized: the finalizer count cannot be trusted.");
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1 /* GC */);
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "FinalizeObject" || eventData.Payload is not { Count: > 0 } payload || payload[0] is not IntPtr type)
            return;
        if (type == ScalarType)
            Interlocked.Increment(ref _scalars);
        else if (type == TensorType)
            Interlocked.Increment(ref _tensors);
        else if (type == SentinelType)
            Interlocked.Increment(ref _sentinels);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropSentinel() => _ = new Sentinel();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropImplicitScalar()
    {
        Scalar implicitScalar = 1.5;
        GC.KeepAlive(implicitScalar);
    }

    private sealed class Sentinel
    {
        ~Sentinel()
        {
        }
    }
}
