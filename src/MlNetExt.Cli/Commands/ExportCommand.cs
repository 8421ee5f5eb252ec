using System.CommandLine;
using Microsoft.ML;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios;
using MlNetExt.Cli.Runs;
using MlNetExt.Core.IO;
using MlNetExt.Core.Models;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext export</c>: writes a run's exported network as a standalone ONNX file (Ultralytics' <c>export
/// format=onnx</c>), or one of its named variants (for example one CCA view).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A run folder or a model.zip saved by MlNetExt.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "Export format (onnx).", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var name = new Option<string?>("--name") { Description = "A named ONNX model of the network (for example ViewA / ViewB of CCA); default the primary one." };
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write.", Required = true };
        var verbosity = new VerbosityOptions();
        var command = new Command("export", "Export a trained network as a standalone ONNX file (with MlNetExt's metadata: preprocessing, labels, history).");
        command.Options.Add(model);
        command.Options.Add(format);
        command.Options.Add(name);
        command.Options.Add(output);
        verbosity.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(verbosity.Get(result));
            var run = RunLocation.Find(result.GetValue(model)!, "--model");
            var ml = new MLContext(seed: 0);
            var loaded = ml.DeepLearning().Model.Load(run.Model, out _);
            var network = Models.Find<OnnxModelTransformer>(loaded);
            string path = Path.GetFullPath(result.GetValue(output)!);
            string? variant = result.GetValue(name);
            if (network is null)
            {
                // A model type that is not restored as an MlNetExt model: export the network its pipeline scores.
                if (variant is not null)
                    throw new UserInputException($"--name '{variant}': '{run.Model}' has one ONNX network only.");
                byte[] onnx;
                using (var file = File.OpenRead(run.Model))
                    onnx = SavedOnnx.First(file);
                if (Path.GetDirectoryName(path) is string folder)
                    Directory.CreateDirectory(folder);
                AtomicFile.WriteAllBytes(path, onnx);
                console.Result($"wrote {path} ({onnx.Length:N0} bytes; the ONNX network {Path.GetFileName(run.Model)} scores)");
                return ExitCodes.Success;
            }
            if (variant is not null && !network.OnnxModelNames.Contains(variant))
                throw new UserInputException($"--name '{variant}': this model has the ONNX models {string.Join(", ", network.OnnxModelNames)}.");
            if (Path.GetDirectoryName(path) is string parent)
                Directory.CreateDirectory(parent);
            if (variant is null)
                network.ExportToOnnx(path);
            else
                network.ExportToOnnx(path, variant);
            console.Result($"wrote {path} ({new FileInfo(path).Length:N0} bytes; {network.GetType().Name}, ONNX models: {string.Join(", ", network.OnnxModelNames)})");
            return ExitCodes.Success;
        });
        return command;
    }
}
