using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetExt.Core.IO;
using MlNetExt.Core.Models;
using MlNetExt.Core.Pipelines;

namespace MlNetExt;

public sealed partial class DeepLearningCatalog
{
    /// <summary>
    /// Saving and loading models. A saved model is a standard ML.NET zip: plain <c>mlContext.Model.Load</c> keeps working
    /// (it gives back standard transformers that score identically). <see cref="Load(string, out DataViewSchema)"/> also
    /// gives back the MlNetExt models in it as their typed models, with their history and extras (dispersion, class
    /// names, ...) read from the ONNX metadata.
    /// </summary>
    public sealed class ModelCatalog : SubCatalog
    {
        private const string ComponentName = "MlNetExt.Model";

        internal ModelCatalog(MLContext context) : base(context) { }

        /// <summary>Saves <paramref name="model"/> to <paramref name="filePath"/> as <c>mlContext.Model.Save</c> does, but
        /// through a temporary file in the same folder that is renamed over the destination once complete: a failed save
        /// leaves any existing file as it was.</summary>
        /// <param name="model">The model.</param>
        /// <param name="inputSchema">The schema of the data the model was trained on (saved with it).</param>
        /// <param name="filePath">The destination zip.</param>
        public void Save(ITransformer model, DataViewSchema inputSchema, string filePath)
            => Context.Model.SaveAtomic(model, inputSchema, filePath);

        /// <summary>Saves <paramref name="model"/> to <paramref name="stream"/> (<c>mlContext.Model.Save</c>).</summary>
        /// <param name="model">The model.</param>
        /// <param name="inputSchema">The schema of the data the model was trained on (saved with it).</param>
        /// <param name="stream">A writable stream.</param>
        public void Save(ITransformer model, DataViewSchema inputSchema, Stream stream)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(stream);
            Context.Model.Save(model, inputSchema, stream);
        }

        /// <summary>
        /// Exports a fitted pipeline to one ONNX model: ML.NET's standard transformers through ML.NET's ONNX converter
        /// (Microsoft.ML.OnnxConverter), each MlNetExt model as the graph it scores with, spliced together by column name.
        /// The model's inputs are the columns of <paramref name="inputData"/> the pipeline reads (named after them), its
        /// outputs every column the pipeline outputs that ONNX can hold, named <c>{column}.output</c> as ML.NET's converter
        /// names them; the MlNetExt metadata (<c>mlnetext.*</c>) are kept.
        /// </summary>
        /// <param name="model">The fitted pipeline (or one MlNetExt model).</param>
        /// <param name="inputData">Data with the pipeline's input schema (only its schema is used).</param>
        /// <param name="stream">A writable stream the ONNX model is written to.</param>
        /// <exception cref="NotSupportedException">ML.NET's converter cannot export one of the pipeline's transformers; the
        /// message names it (its type and position).</exception>
        public void ExportToOnnx(ITransformer model, IDataView inputData, Stream stream)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(inputData);
            ArgumentNullException.ThrowIfNull(stream);
            byte[] onnx = Core.Onnx.Export.PipelineOnnxExporter.Export(Context, model, inputData);
            stream.Write(onnx);
        }

        /// <summary>As <see cref="ExportToOnnx(ITransformer, IDataView, Stream)"/>, to <paramref name="filePath"/> (through a
        /// temporary file and a rename: a failed export leaves any existing file as it was).</summary>
        /// <param name="model">The fitted pipeline (or one MlNetExt model).</param>
        /// <param name="inputData">Data with the pipeline's input schema (only its schema is used).</param>
        /// <param name="filePath">The destination <c>.onnx</c> file.</param>
        public void ExportToOnnx(ITransformer model, IDataView inputData, string filePath)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(inputData);
            ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
            AtomicFile.WriteAllBytes(filePath, Core.Onnx.Export.PipelineOnnxExporter.Export(Context, model, inputData));
        }

        /// <summary>
        /// Loads a saved model with its MlNetExt parts restored as their typed models (for example a
        /// <c>CountRegressionTransformer</c> with its <c>History</c> and <c>Dispersion</c>). A model saved alone comes back
        /// as that typed model; a pipeline comes back as a chain holding it. Parts of other packages, or a zip without
        /// MlNetExt parts, come back exactly as <c>mlContext.Model.Load</c> gives them.
        /// </summary>
        /// <param name="filePath">A zip written by <c>mlContext.Model.Save</c> or <see cref="Save(ITransformer, DataViewSchema, string)"/>.</param>
        /// <param name="inputSchema">The schema saved with the model.</param>
        /// <exception cref="InvalidDataException">An MlNetExt part's metadata are damaged.</exception>
        public ITransformer Load(string filePath, out DataViewSchema inputSchema)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
            using var stream = File.OpenRead(filePath);
            return Load(stream, out inputSchema);
        }

        /// <summary>As <see cref="Load(string, out DataViewSchema)"/>, from a stream (read to its end; copied to memory when
        /// it cannot seek).</summary>
        /// <param name="stream">The saved model.</param>
        /// <param name="inputSchema">The schema saved with the model.</param>
        public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(stream);
            var (model, restorer) = LoadAndRestore(stream, out inputSchema);
            ReportUnrestored(restorer);
            return model;
        }

        /// <summary>
        /// Loads the one MlNetExt model of type <typeparamref name="TModel"/> in a saved model, for example
        /// <c>Load&lt;CountRegressionTransformer&gt;("counts.zip", out var schema)</c>. Transformers before it in a saved
        /// pipeline are not part of the result: use <see cref="Load(string, out DataViewSchema)"/> for the whole pipeline.
        /// </summary>
        /// <typeparam name="TModel">The model type.</typeparam>
        /// <param name="filePath">A zip written by <c>mlContext.Model.Save</c> or <see cref="Save(ITransformer, DataViewSchema, string)"/>.</param>
        /// <param name="inputSchema">The schema saved with the model.</param>
        /// <exception cref="InvalidOperationException">The file holds no model of that type, or more than one; the message
        /// says what it holds.</exception>
        public TModel Load<TModel>(string filePath, out DataViewSchema inputSchema) where TModel : OnnxModelTransformer, IOnnxModelFactory<TModel>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
            using var stream = File.OpenRead(filePath);
            return Single<TModel>(stream, $"'{filePath}'", out inputSchema);
        }

        /// <summary>As <see cref="Load{TModel}(string, out DataViewSchema)"/>, from a stream.</summary>
        /// <typeparam name="TModel">The model type.</typeparam>
        /// <param name="stream">The saved model.</param>
        /// <param name="inputSchema">The schema saved with the model.</param>
        public TModel Load<TModel>(Stream stream, out DataViewSchema inputSchema) where TModel : OnnxModelTransformer, IOnnxModelFactory<TModel>
        {
            ArgumentNullException.ThrowIfNull(stream);
            return Single<TModel>(stream, "the stream", out inputSchema);
        }

        private TModel Single<TModel>(Stream stream, string source, out DataViewSchema inputSchema)
            where TModel : OnnxModelTransformer, IOnnxModelFactory<TModel>
        {
            var (_, restorer) = LoadAndRestore(stream, out inputSchema);
            var matches = restorer.Restored.OfType<TModel>().ToArray();
            if (matches.Length == 1)
                return matches[0];
            string wanted = $"{typeof(TModel).Name} ('{OnnxModelFactories.KindOf<TModel>()}')";
            if (matches.Length > 1)
                throw new InvalidOperationException(
                    $"The saved model {source} holds {matches.Length} models of type {wanted}; use Load to get the whole model and pick one.");
            var found = restorer.Restored.Select(m => $"{m.GetType().Name} ('{m.OnnxMetadata.GetValueOrDefault(OnnxModelMetadata.Model)}')")
                .Concat(restorer.Unrestored.Select(kind => $"an MlNetExt model '{kind}' whose package is not loaded"))
                .ToArray();
            throw new InvalidOperationException(found.Length == 0
                ? $"The saved model {source} holds no {wanted}: it holds no MlNetExt model, only standard ML.NET transformers."
                : $"The saved model {source} holds no {wanted}; it holds {string.Join(", ", found)}.");
        }

        private (ITransformer Model, OnnxModelRestorer Restorer) LoadAndRestore(Stream stream, out DataViewSchema inputSchema)
        {
            Stream seekable = stream;
            if (!stream.CanSeek)
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                seekable = copy;
            }
            long start = seekable.Position;
            // ML.NET's load falls back to the CPU silently or fails with ONNX Runtime's loader text; deciding first gives
            // the error (or the one log line) that names what is missing.
            int? device = OnnxExecutionDevice.Resolve(Context);
            DataViewSchema schema = null!;
            var loaded = OnnxExecutionDevice.WithDevice(Context, device, () => Context.Model.Load(seekable, out schema));
            inputSchema = schema;
            seekable.Position = start;
            using var archive = new SavedModelArchive(seekable);
            var restorer = new OnnxModelRestorer(Context, archive, OnnxModelFactories.FromLoadedAssemblies());
            return (restorer.Restore(loaded), restorer);
        }

        private void ReportUnrestored(OnnxModelRestorer restorer)
        {
            if (restorer.Unrestored.Count == 0)
                return;
            // A host with its own seed: logging draws nothing from the context's random source.
            var host = ((IHostEnvironment)Context).Register(ComponentName, seed: 0);
            using var channel = host.Start("Load");
            foreach (var kind in restorer.Unrestored)
                channel.Warning(MessageSensitivity.None, $"The saved model holds an MlNetExt model '{kind}' but no loaded MlNetExt package restores it; "
                    + "it was loaded as standard transformers (it scores the same, without its typed members).");
        }
    }
}
