namespace MlNetExt.Vision.Weights;

/// <summary>A weight present in both the module and the file whose shapes differ.</summary>
/// <param name="Name">State-dict name.</param>
/// <param name="ModuleShape">Shape the module expects.</param>
/// <param name="FileShape">Shape found in the file.</param>
public sealed record WeightShapeMismatch(string Name, long[] ModuleShape, long[] FileShape)
{
    /// <summary>"name: module [..] vs file [..]".</summary>
    public override string ToString() =>
        $"{Name}: module {SafeTensors.Describe(ModuleShape)} vs file {SafeTensors.Describe(FileShape)}";
}
