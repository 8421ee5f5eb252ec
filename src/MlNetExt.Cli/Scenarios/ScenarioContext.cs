using Microsoft.ML;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Scenarios;

/// <summary>What a scenario trains with: the seeded MLContext, the console and progress display, Ctrl+C, the log and the
/// timings of each phase.</summary>
internal sealed class ScenarioContext(MLContext ml, ToolConsole console, TrainingProgressDisplay display, InterruptHandler interrupt,
    RunLog log, RunTimings timings)
{
    public MLContext ML { get; } = ml;

    public ToolConsole Console { get; } = console;

    public TrainingProgressDisplay Display { get; } = display;

    public InterruptHandler Interrupt { get; } = interrupt;

    public RunLog Log { get; } = log;

    public RunTimings Timings { get; } = timings;

    /// <summary>Every epoch the trainer reported (the run's history for models that do not expose their own).</summary>
    public List<TrainingProgress> ReportedEpochs { get; } = [];

    /// <summary>Sets the options every MlNetExt trainer shares from the settings and wires progress and Ctrl+C.</summary>
    public T Configure<T>(T options, TrainingSettings settings) where T : NeuralTrainerOptions
    {
        options.Epochs = settings.Epochs;
        options.BatchSize = settings.BatchSize;
        options.LearningRate = settings.LearningRate;
        options.Seed = settings.Seed;
        options.Device = settings.Device;
        options.ValidationFraction = 0;
        options.EarlyStopping = settings.EarlyStoppingPatience is int patience ? new EarlyStoppingOptions { Patience = patience } : null;
        options.Progress = p =>
        {
            lock (ReportedEpochs) ReportedEpochs.Add(p);
            Display.OnEpoch(p);
        };
        options.BatchProgress = p =>
        {
            Interrupt.Phase = InterruptHandler.RunPhase.Training;
            Display.OnBatch(p);
        };
        options.StopToken = Interrupt.StopToken;
        options.CancellationToken = Interrupt.AbortToken;
        return options;
    }

    /// <summary>Marks the end of training: Ctrl+C no longer stops training but the run folder is finished.</summary>
    public void TrainingFinished()
    {
        if (Interrupt.StoppedTraining)
            Interrupt.StoppedAt ??= Display.Position;
        Interrupt.Phase = InterruptHandler.RunPhase.Finishing;
    }
}
