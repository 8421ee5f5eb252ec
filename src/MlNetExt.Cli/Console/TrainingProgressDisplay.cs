using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlNetExt.Core.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MlNetExt.Cli.Console;

/// <summary>
/// Training progress for people: on a terminal a live panel (stage, epoch, batch, loss, validation metric, throughput,
/// ETA) with one line per finished epoch above it; when the output is redirected, plain lines (one per epoch, and in
/// verbose mode a few per epoch). Fed by the trainers' <c>BatchProgress</c> and <c>Progress</c> callbacks.
/// </summary>
internal sealed class TrainingProgressDisplay
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(150);

    private readonly ToolConsole _console;
    private readonly int _totalEpochs;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private LiveDisplayContext? _live;
    private TimeSpan _lastRefresh;
    private string _phase = "preparing";
    private string? _stage;
    private int _epochsInEarlierStages;
    private int _stageEpochs;
    private TrainingBatchProgress? _batch;
    private TrainingProgress? _epoch;
    private long _epochRows;
    private TimeSpan _epochStart;

    public TrainingProgressDisplay(ToolConsole console, int totalEpochs)
    {
        _console = console;
        _totalEpochs = Math.Max(1, totalEpochs);
    }

    /// <summary>Where training was when it last reported ("epoch 3/10, batch 12/40").</summary>
    public string Position
    {
        get
        {
            lock (_gate)
                return _batch is null ? "before the first batch" : $"epoch {_batch.Epoch}/{_batch.TotalEpochs} of stage '{_batch.Stage}', batch {_batch.Batch}/{_batch.BatchesPerEpoch}";
        }
    }

    /// <summary>Runs <paramref name="work"/> under the live display (terminal) or as it is (redirected, quiet).</summary>
    public T Run<T>(Func<T> work)
    {
        _clock.Start();
        if (!_console.Interactive || _console.Verbosity == Verbosity.Quiet)
            return work();
        return _console.Ansi.Live(Render()).AutoClear(true).Start(context =>
        {
            lock (_gate) _live = context;
            try
            {
                return work();
            }
            finally
            {
                lock (_gate) _live = null;
            }
        });
    }

    public void SetPhase(string phase)
    {
        lock (_gate)
        {
            _phase = phase;
            Refresh(force: true);
        }
        if (!_console.Interactive)
            _console.Detail(phase);
    }

    public void OnBatch(TrainingBatchProgress progress)
    {
        lock (_gate)
        {
            bool newStage = progress.Stage != _stage;
            if (newStage)
            {
                _epochsInEarlierStages += _stageEpochs;
                _stage = progress.Stage;
                _stageEpochs = 0;
            }
            if (progress.Batch == 1)
            {
                // The epoch started when the previous batch of the stage ended (the stage's clock starts at zero).
                _epochRows = 0;
                _epochStart = newStage || _batch is null ? TimeSpan.Zero : _batch.Elapsed;
            }
            _epochRows += progress.Rows;
            _batch = progress;
            _phase = "training";
            Refresh(force: false);
        }
        if (!_console.Interactive && _console.Verbosity == Verbosity.Verbose)
        {
            long every = Math.Max(1, progress.BatchesPerEpoch / 4);
            if (progress.Batch % every == 0 && progress.Batch != progress.BatchesPerEpoch)
                _console.Detail(string.Create(CultureInfo.InvariantCulture,
                    $"  {progress.Stage} epoch {progress.Epoch}/{progress.TotalEpochs} batch {progress.Batch}/{progress.BatchesPerEpoch}: loss {progress.Loss:G5}"));
        }
    }

    public void OnEpoch(TrainingProgress progress)
    {
        string line;
        lock (_gate)
        {
            _epoch = progress;
            _stageEpochs = progress.Epoch;
            line = EpochLine(progress);
            Refresh(force: true);
        }
        _console.Info(line);
    }

    private string EpochLine(TrainingProgress p)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{p.Stage} epoch {p.Epoch}/{p.TotalEpochs}: train loss {p.TrainLoss:G5}");
        if (p.ValidationLoss is double v)
            text.Append(CultureInfo.InvariantCulture, $", validation loss {v:G5}");
        foreach (var (name, value) in p.Metrics.Take(2))
            text.Append(CultureInfo.InvariantCulture, $", {name} {value:G4}");
        text.Append(CultureInfo.InvariantCulture, $" | {Throughput():N0} rows/s | elapsed {Format(_clock.Elapsed)} | ETA {Format(Eta())}");
        return text.ToString();
    }

    private double Throughput()
    {
        if (_batch is null) return 0;
        double seconds = (_batch.Elapsed - _epochStart).TotalSeconds;
        return seconds > 0 ? _epochRows / seconds : 0;
    }

    private TimeSpan? Eta()
    {
        if (_batch is null) return null;
        double done = _epochsInEarlierStages + _batch.Epoch - 1 + (double)_batch.Batch / Math.Max(1, _batch.BatchesPerEpoch);
        if (done <= 0) return null;
        double remaining = Math.Max(0, _totalEpochs - done);
        return TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * remaining);
    }

    private void Refresh(bool force)
    {
        if (_live is null) return;
        var now = _clock.Elapsed;
        if (!force && now - _lastRefresh < RefreshInterval) return;
        _lastRefresh = now;
        _live.UpdateTarget(Render());
        _live.Refresh();
    }

    private IRenderable Render()
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup("[bold]phase[/]"), new Markup(Markup.Escape(_phase)));
        if (_batch is { } b)
        {
            double fraction = (double)b.Batch / Math.Max(1, b.BatchesPerEpoch);
            grid.AddRow(new Markup("[bold]stage[/]"), new Markup(Markup.Escape(
                string.Create(CultureInfo.InvariantCulture, $"{b.Stage}   epoch {b.Epoch}/{b.TotalEpochs}   batch {b.Batch}/{b.BatchesPerEpoch}"))));
            grid.AddRow(new Markup("[bold]epoch[/]"), new Markup(Bar(fraction, 40)));
            grid.AddRow(new Markup("[bold]loss[/]"), new Markup(string.Create(CultureInfo.InvariantCulture, $"{b.Loss:G5} (batch)")));
        }
        if (_epoch is { } e)
        {
            var last = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"train {e.TrainLoss:G5}"));
            if (e.ValidationLoss is double v) last.Append(CultureInfo.InvariantCulture, $", validation {v:G5}");
            foreach (var (name, value) in e.Metrics.Take(2)) last.Append(CultureInfo.InvariantCulture, $", {name} {value:G4}");
            grid.AddRow(new Markup("[bold]last epoch[/]"), new Markup(Markup.Escape(last.ToString())));
        }
        grid.AddRow(new Markup("[bold]speed[/]"), new Markup(string.Create(CultureInfo.InvariantCulture,
            $"{Throughput():N0} rows/s   elapsed {Format(_clock.Elapsed)}   ETA {Format(Eta())}")));
        grid.AddRow(new Markup("[grey]Ctrl+C[/]"), new Markup("[grey]stop after this batch, keep the best model[/]"));
        return new Panel(grid).Header("mlnetext").Border(BoxBorder.Rounded);
    }

    private static string Bar(double fraction, int width)
    {
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/] {fraction * 100:F0}%";
    }

    private static string Format(TimeSpan? span) => span is not { } s ? "--:--"
        : s.TotalHours >= 1 ? s.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : s.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}
