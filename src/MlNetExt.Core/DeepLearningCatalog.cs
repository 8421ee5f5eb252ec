using Microsoft.ML;

namespace MlNetExt;

/// <summary>
/// MlNetExt's entry point, rooted at your <see cref="MLContext"/> (<c>mlContext.DeepLearning()</c>) and shaped like
/// ML.NET's own catalog tree: <c>Regression.Trainers</c>, <c>MulticlassClassification.Trainers</c>,
/// <c>BinaryClassification.Trainers</c>, <c>Transforms</c>, <c>Data</c>, <c>Embeddings</c> and <c>Model</c>. Every
/// trainer and transform made here uses the context's seed, log and GPU settings. Each plugin package adds its entry
/// points as extension methods on the sub-catalogs (namespace <c>MlNetExt</c>, so <c>using MlNetExt;</c> is enough).
/// </summary>
/// <remarks>Cheap and stateless: it only holds the context, so calling <c>DeepLearning()</c> again is fine.</remarks>
public sealed partial class DeepLearningCatalog
{
    internal DeepLearningCatalog(MLContext context)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        Regression = new RegressionCatalog(context);
        MulticlassClassification = new MulticlassClassificationCatalog(context);
        BinaryClassification = new BinaryClassificationCatalog(context);
        Transforms = new TransformsCatalog(context);
        Data = new DataCatalog(context);
        Embeddings = new EmbeddingsCatalog(context);
        Model = new ModelCatalog(context);
    }

    /// <summary>The ML.NET context everything made here uses.</summary>
    public MLContext Context { get; }

    /// <summary>Neural regression trainers and their evaluators (MlNetExt.Regression).</summary>
    public RegressionCatalog Regression { get; }

    /// <summary>Multiclass classification trainers (MlNetExt.Vision).</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Binary classification trainers (MlNetExt.Vision).</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Trained featurizers such as embeddings and CCA (MlNetExt.Embeddings).</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Row-changing data operations such as augmentation and spike binning.</summary>
    public DataCatalog Data { get; }

    /// <summary>Embedding evaluation (MlNetExt.Embeddings).</summary>
    public EmbeddingsCatalog Embeddings { get; }

    /// <summary>Saving and loading models with their MlNetExt parts restored.</summary>
    public ModelCatalog Model { get; }

    /// <summary>The base of the sub-catalogs: each holds the <see cref="MLContext"/> its plugins' extension methods use.</summary>
    public abstract class SubCatalog
    {
        private protected SubCatalog(MLContext context) => Context = context;

        /// <summary>The ML.NET context.</summary>
        public MLContext Context { get; }
    }

    /// <summary>Regression: <see cref="Trainers"/> and the evaluators plugins add.</summary>
    public sealed class RegressionCatalog : SubCatalog
    {
        internal RegressionCatalog(MLContext context) : base(context) => Trainers = new RegressionTrainers(context);

        /// <summary>The regression trainers.</summary>
        public RegressionTrainers Trainers { get; }
    }

    /// <summary>Regression trainers (for example <c>NeuralPoisson</c>, <c>NeuralGaussian</c>).</summary>
    public sealed class RegressionTrainers : SubCatalog
    {
        internal RegressionTrainers(MLContext context) : base(context) { }
    }

    /// <summary>Multiclass classification: <see cref="Trainers"/>.</summary>
    public sealed class MulticlassClassificationCatalog : SubCatalog
    {
        internal MulticlassClassificationCatalog(MLContext context) : base(context) => Trainers = new MulticlassClassificationTrainers(context);

        /// <summary>The multiclass classification trainers.</summary>
        public MulticlassClassificationTrainers Trainers { get; }
    }

    /// <summary>Multiclass classification trainers (for example <c>ImageClassifier</c>).</summary>
    public sealed class MulticlassClassificationTrainers : SubCatalog
    {
        internal MulticlassClassificationTrainers(MLContext context) : base(context) { }
    }

    /// <summary>Binary classification: <see cref="Trainers"/>.</summary>
    public sealed class BinaryClassificationCatalog : SubCatalog
    {
        internal BinaryClassificationCatalog(MLContext context) : base(context) => Trainers = new BinaryClassificationTrainers(context);

        /// <summary>The binary classification trainers.</summary>
        public BinaryClassificationTrainers Trainers { get; }
    }

    /// <summary>Binary classification trainers (for example <c>ImageClassifier</c>).</summary>
    public sealed class BinaryClassificationTrainers : SubCatalog
    {
        internal BinaryClassificationTrainers(MLContext context) : base(context) { }
    }

    /// <summary>Trained featurizers (for example <c>TripletEmbedding</c>, <c>DeepCca</c>, <c>LinearCca</c>).</summary>
    public sealed class TransformsCatalog : SubCatalog
    {
        internal TransformsCatalog(MLContext context) : base(context) { }
    }

    /// <summary>Row-changing data operations (for example <c>AugmentImages</c>, <c>BinSpikes</c>); like
    /// <c>mlContext.Data</c>, they apply to training data and are not part of a saved model.</summary>
    public sealed class DataCatalog : SubCatalog
    {
        internal DataCatalog(MLContext context) : base(context) { }
    }

    /// <summary>Embedding evaluation (for example <c>Evaluate</c>).</summary>
    public sealed class EmbeddingsCatalog : SubCatalog
    {
        internal EmbeddingsCatalog(MLContext context) : base(context) { }
    }
}
