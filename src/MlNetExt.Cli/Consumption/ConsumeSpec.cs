namespace MlNetExt.Cli.Consumption;

/// <summary>A column of the generated ModelInput / ModelOutput classes.</summary>
/// <param name="Name">The ML.NET column name.</param>
/// <param name="ClrType">"float", "string", "bool" or "float[]".</param>
/// <param name="LoadColumn">The column's position in the data file (inputs read from a file); null for outputs.</param>
/// <param name="VectorSize">The size of a vector column (outputs), or null.</param>
internal sealed record ConsumeColumn(string Name, string ClrType, int? LoadColumn = null, int? VectorSize = null);

/// <summary>What the generated consumption project needs: the model's input and output columns, the first example of the
/// data set (field values as text), and whether the model reads images (then it references Microsoft.ML.ImageAnalytics).</summary>
internal sealed record ConsumeSpec(IReadOnlyList<ConsumeColumn> Inputs, IReadOnlyList<ConsumeColumn> Outputs,
    IReadOnlyDictionary<string, string> FirstExample, bool Images, string ExampleSource);
