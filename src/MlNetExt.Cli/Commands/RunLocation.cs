using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;

namespace MlNetExt.Cli.Commands;

/// <summary>A run folder named by its folder or by its model.zip.</summary>
internal sealed record RunLocation(string Folder, string Model)
{
    public string Config => Path.Combine(Folder, RunFolder.ConfigFile);

    public bool HasConfig => File.Exists(Config);

    public static RunLocation Find(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            string model = Path.Combine(full, RunFolder.ModelFile);
            if (!File.Exists(model))
                throw new UserInputException($"{option} '{path}' holds no {RunFolder.ModelFile}; give a run folder or a model.zip.");
            return new RunLocation(full, model);
        }
        if (File.Exists(full))
            return new RunLocation(Path.GetDirectoryName(full)!, full);
        throw new UserInputException($"{option} '{path}' does not exist; give a run folder or a model.zip.");
    }

    public RunConfig ReadConfig(string command)
    {
        if (!HasConfig)
            throw new UserInputException($"{command} needs the run folder the model was trained in: no {RunFolder.ConfigFile} next to '{Model}'.");
        return RunConfig.Read(Config);
    }
}
