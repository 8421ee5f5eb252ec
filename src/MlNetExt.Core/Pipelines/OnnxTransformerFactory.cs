using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// Builds the standard, savable ML.NET transformers that a trained MlNetExt model is made of, so
/// <c>mlContext.Model.Save</c> / <c>Load</c> work with plain ML.NET.
/// </summary>
public static class OnnxTransformerFactory
{
    // Each transformer's model file lives as long as the transformer: when the transformer is collected, the entry's value
    // becomes unreachable and its finalizer deletes the file.
    private static readonly ConditionalWeakTable<ITransformer, OnnxModelFile> ModelFiles = new();

    /// <summary>
    /// ApplyOnnxModel over in-memory ONNX bytes, fitted on <paramref name="inputSchema"/> (no data is read).
    /// Honours <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>: when the GPU cannot be used,
    /// FallbackToCpu = true scores on the CPU and writes one warning naming what is missing to <see cref="MLContext.Log"/>,
    /// and FallbackToCpu = false throws <see cref="InvalidOperationException"/> with that explanation.
    /// ONNX outputs become vector columns: a float output of shape [batch, k] is <c>Vector&lt;float&gt;[k]</c>.
    /// </summary>
    /// <remarks>ApplyOnnxModel needs the model in a file. MlNetExt writes it to <see cref="MLContext.TempFilePath"/>
    /// (<c>mlnetext-*.onnx</c>) and deletes it when the transformer is released (<see cref="Release"/>, which disposing an
    /// MlNetExt model does), when the garbage collector collects the transformer, or at the latest when the process exits.
    /// (Given a stream instead, ML.NET writes its own copy there and never deletes it.)</remarks>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="onnxModel">ONNX model bytes.</param>
    /// <param name="outputColumns">ONNX output names, which become column names.</param>
    /// <param name="inputColumns">ONNX input names, each the name of an input column.</param>
    /// <param name="inputSchema">Schema of the data the transformer will be applied to.</param>
    /// <returns>The fitted ONNX transformer.</returns>
    /// <exception cref="InvalidOperationException">MLContext.GpuDeviceId is set, that GPU cannot be used and
    /// MLContext.FallbackToCpu is false.</exception>
    public static ITransformer Create(MLContext context, byte[] onnxModel, string[] outputColumns, string[] inputColumns, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(outputColumns);
        ArgumentNullException.ThrowIfNull(inputColumns);
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (onnxModel.Length == 0)
            throw new ArgumentException("The ONNX model is empty.", nameof(onnxModel));
        if (outputColumns.Length == 0)
            throw new ArgumentException("At least one output column is needed.", nameof(outputColumns));
        if (inputColumns.Length == 0)
            throw new ArgumentException("At least one input column is needed.", nameof(inputColumns));
        foreach (var name in inputColumns)
        {
            if (inputSchema.GetColumnOrNull(name) is null)
                throw new ArgumentException(
                    $"Input column '{name}' was not found in the input schema (columns: {string.Join(", ", inputSchema.Select(c => c.Name))}).",
                    nameof(inputSchema));
        }

        NativeRuntimes.EnsureOnnxRuntime();
        // Decides CPU or GPU once for the context: a missing CUDA dependency fails here with a message naming it
        // (FallbackToCpu false), or is reported once in the log (FallbackToCpu true).
        int? device = OnnxExecutionDevice.Resolve(context);
        var file = OnnxModelFile.Write(context.TempFilePath, onnxModel);
        try
        {
            var transformer = OnnxExecutionDevice.WithDevice(context, device, () => context.Transforms
                .ApplyOnnxModel(outputColumns, inputColumns, file.Path, gpuDeviceId: device, fallbackToCpu: context.FallbackToCpu)
                .Fit(new SchemaOnlyDataView(inputSchema)));
            ModelFiles.Add(transformer, file);
            OnnxScoringGraphs.Register(transformer, onnxModel, context);
            return transformer;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Disposes <paramref name="transformer"/> (every part of it, for a chain) and deletes the model files that
    /// <see cref="Create"/> wrote for it. The transformer cannot be used or saved afterwards.
    /// </summary>
    /// <param name="transformer">A transformer from <see cref="Create"/>, or a chain that contains some.</param>
    public static void Release(ITransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        if (transformer is IEnumerable<ITransformer> parts)
        {
            foreach (var part in parts)
                Release(part);
            return;
        }
        (transformer as IDisposable)?.Dispose();
        if (ModelFiles.TryGetValue(transformer, out var file))
        {
            ModelFiles.Remove(transformer);
            file.Dispose();
        }
    }

    /// <summary>
    /// Turns a float vector column with one element (any dimensions: ApplyOnnxModel's output for an ONNX
    /// <c>[batch, 1]</c> output is <c>Vector&lt;float&gt;</c> with dimensions <c>[1, 1]</c>) into a scalar float column
    /// with the same value (x * 1 + 0: bit-exact for every finite and infinite value, NaN stays NaN, -0 becomes +0),
    /// using only standard savable transformers, so Regression.Evaluate works on the result: an identity
    /// linear-regression prediction transformer (which writes <c>Score</c>), then CopyColumns to
    /// <paramref name="outputColumn"/> when that is not "Score".
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="outputColumn">The scalar output column.</param>
    /// <param name="inputColumn">A float vector column with exactly one element.</param>
    /// <param name="inputSchema">Schema of the data the transformer will be applied to.</param>
    /// <returns>The fitted transformer.</returns>
    public static ITransformer VectorToScalar(MLContext context, string outputColumn, string inputColumn, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumn);
        ArgumentNullException.ThrowIfNull(inputSchema);

        var column = inputSchema.GetColumnOrNull(inputColumn)
            ?? throw new ArgumentException($"Input column '{inputColumn}' was not found in the input schema.", nameof(inputColumn));
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType itemType, Size: 1 } vectorType || itemType != NumberDataViewType.Single)
            throw new ArgumentException(
                $"Column '{inputColumn}' must be a float vector with one element (Vector<Single, 1>), found {column.Type}.", nameof(inputColumn));

        var identity = IdentityRegression.Fit(context, inputColumn, vectorType);
        if (outputColumn == DefaultColumnNames.Score)
            return identity;

        var copy = context.Transforms.CopyColumns(outputColumn, DefaultColumnNames.Score)
            .Fit(new SchemaOnlyDataView(identity.GetOutputSchema(inputSchema)));
        return new TransformerChain<ITransformer>(identity, copy);
    }

    private static class DefaultColumnNames
    {
        public const string Score = "Score";
    }
}
