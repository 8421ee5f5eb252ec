using System.CommandLine;
using System.Globalization;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios;

namespace MlNetExt.Cli.Commands;

/// <summary>Options every training command has: output folder, seed, epochs, batch size, learning rate, split, early
/// stopping, threads, device and verbosity.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "The run folder to create (default: runs/<scenario>-<UTC time>); it must not exist or be empty." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the data split, initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 1 };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Passes over the training data (in all stages)." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Rows per minibatch." };
    public Option<float?> LearningRate { get; } = new("--learning-rate") { Description = "Base learning rate." };
    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "Fraction of the data held out for the run's metrics.", DefaultValueFactory = _ => 0.2 };
    public Option<double> ValidationFraction { get; } = new("--validation-fraction") { Description = "Fraction of the remaining data used for validation (best epoch, early stopping); 0: none.", DefaultValueFactory = _ => 0.1 };
    public Option<int?> EarlyStopping { get; } = new("--early-stopping") { Description = "Stop when the validation loss has not improved for this many epochs (the best weights are kept)." };
    public Option<int?> Threads { get; } = new("--threads") { Description = "libtorch threads (training is reproducible for a seed and a thread count)." };
    public Option<string> Device { get; } = new("--device") { Description = "Training device: cpu or cuda.", DefaultValueFactory = _ => "cpu" };
    public VerbosityOptions Verbosity { get; } = new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Output, Seed, Epochs, BatchSize, LearningRate, TestFraction, ValidationFraction, EarlyStopping, Threads, Device })
            command.Options.Add(option);
        Verbosity.AddTo(command);
    }

    /// <summary>The settings with the common options applied over the scenario's defaults.</summary>
    public T Apply<T>(ParseResult result, T defaults) where T : TrainingSettings
    {
        int? epochs = result.GetValue(Epochs), batchSize = result.GetValue(BatchSize), threads = result.GetValue(Threads);
        float? learningRate = result.GetValue(LearningRate);
        if (epochs is < 1) throw new UserInputException($"--epochs must be at least 1; found {epochs}.");
        var settings = defaults with
        {
            Seed = result.GetValue(Seed),
            Epochs = epochs ?? defaults.Epochs,
            BatchSize = batchSize ?? defaults.BatchSize,
            LearningRate = learningRate ?? defaults.LearningRate,
            TestFraction = result.GetValue(TestFraction),
            ValidationFraction = result.GetValue(ValidationFraction),
            EarlyStoppingPatience = result.GetValue(EarlyStopping),
            Threads = threads ?? defaults.Threads,
            Device = result.GetValue(Device) ?? "cpu",
        };
        Check(settings);
        return settings;
    }

    public static void Check(TrainingSettings s)
    {
        // 0 is a scenario default meaning "the trainer chooses from the data size" (the image classifier's); a user's
        // --epochs is checked to be at least 1 in Apply.
        if (s.Epochs < 0) throw new UserInputException($"--epochs must be at least 1; found {s.Epochs}.");
        if (s.BatchSize < 1) throw new UserInputException($"--batch-size must be at least 1; found {s.BatchSize}.");
        if (!(s.LearningRate > 0) || float.IsInfinity(s.LearningRate)) throw new UserInputException($"--learning-rate must be a positive number; found {s.LearningRate.ToString(CultureInfo.InvariantCulture)}.");
        if (!(s.TestFraction >= 0 && s.TestFraction < 1)) throw new UserInputException($"--test-fraction must be in [0, 1); found {s.TestFraction.ToString(CultureInfo.InvariantCulture)}.");
        if (!(s.ValidationFraction >= 0 && s.ValidationFraction < 1)) throw new UserInputException($"--validation-fraction must be in [0, 1); found {s.ValidationFraction.ToString(CultureInfo.InvariantCulture)}.");
        if (s.EarlyStoppingPatience is < 1) throw new UserInputException($"--early-stopping must be at least 1 epoch; found {s.EarlyStoppingPatience}.");
        if (s.EarlyStoppingPatience is not null && s.ValidationFraction == 0) throw new UserInputException("--early-stopping needs validation data: set --validation-fraction above 0 (or give validation data).");
        if (s.Threads < 1) throw new UserInputException($"--threads must be at least 1; found {s.Threads}.");
        if (s.Device != "cpu" && !s.Device.StartsWith("cuda", StringComparison.Ordinal)) throw new UserInputException($"--device must be cpu, cuda or cuda:N; found '{s.Device}'.");
    }

    /// <summary>Parses "64,64" (hidden layer widths); empty gives no hidden layer.</summary>
    public static int[] ParseWidths(string? text, string option)
    {
        if (text is null) return [];
        if (text.Trim().Length == 0 || text.Trim() == "none") return [];
        var widths = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1)
                throw new UserInputException($"{option} '{text}' must be positive widths separated by commas (for example 64,64), or 'none'.");
            widths.Add(width);
        }
        return widths.ToArray();
    }

    /// <summary>A list option that also accepts comma-separated values (--features a,b --features c).</summary>
    public static string[] List(ParseResult result, Option<string[]> option) =>
        (result.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
}

/// <summary>--quiet and --verbose.</summary>
internal sealed class VerbosityOptions
{
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only warnings, errors and the result." };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Also print ML.NET's and MlNetExt's log and more progress lines." };

    public void AddTo(Command command)
    {
        command.Options.Add(Quiet);
        command.Options.Add(Verbose);
    }

    public Verbosity Get(ParseResult result) =>
        result.GetValue(Quiet) ? Console.Verbosity.Quiet : result.GetValue(Verbose) ? Console.Verbosity.Verbose : Console.Verbosity.Normal;
}
