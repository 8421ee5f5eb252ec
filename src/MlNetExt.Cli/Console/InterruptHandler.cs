using System.Runtime.InteropServices;

namespace MlNetExt.Cli.Console;

/// <summary>
/// Ctrl+C (SIGINT): while training runs, the first press asks the trainer to stop at the end of the current minibatch
/// (<c>NeuralTrainerOptions.StopToken</c>): the best model so far is kept and the run folder is written completely. Before
/// training starts it aborts the run. After training, the run folder is finished first. A second press ends the process at
/// once (every file already written is whole: files are written to a temporary name and renamed).
/// </summary>
internal sealed class InterruptHandler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration _registration;
    private readonly ToolConsole _console;
    private int _presses;

    public InterruptHandler(ToolConsole console)
    {
        _console = console;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public enum RunPhase { Preparing, Training, Finishing }

    /// <summary>What the run is doing; decides what the first Ctrl+C does.</summary>
    public RunPhase Phase { get; set; } = RunPhase.Preparing;

    /// <summary>Cancelled by the first Ctrl+C during training: stop at the end of the current minibatch, keep the model.</summary>
    public CancellationToken StopToken => _stop.Token;

    /// <summary>Cancelled by the first Ctrl+C before training: abandon the run.</summary>
    public CancellationToken AbortToken => _abort.Token;

    /// <summary>Whether training was stopped by Ctrl+C.</summary>
    public bool StoppedTraining => _stop.IsCancellationRequested;

    /// <summary>The epoch and minibatch training was in when Ctrl+C stopped it (set by the progress display).</summary>
    public string? StoppedAt { get; set; }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _presses) > 1)
        {
            context.Cancel = false;   // the default action: the process ends now
            return;
        }
        context.Cancel = true;
        switch (Phase)
        {
            case RunPhase.Training:
                _console.Warning("Ctrl+C: stopping at the end of the current batch and keeping the best model so far (Ctrl+C again aborts).");
                _stop.Cancel();
                break;
            case RunPhase.Preparing:
                _console.Warning("Ctrl+C: abandoning the run before training (Ctrl+C again aborts at once).");
                _abort.Cancel();
                break;
            default:
                _console.Warning("Ctrl+C: training is over; finishing the run folder (Ctrl+C again aborts).");
                break;
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
