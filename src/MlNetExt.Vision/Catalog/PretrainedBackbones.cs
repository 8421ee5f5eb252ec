using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Catalog;

/// <summary>Builds a backbone from the catalog with its pretrained weights loaded.</summary>
public static class PretrainedBackbones
{
    /// <summary>
    /// Builds the network of <paramref name="entry"/>, fetches its weights (see <see cref="WeightDownloader"/>) and
    /// loads them. With <paramref name="numClasses"/> different from the weights' classifier, the classifier is
    /// rebuilt with that width and left at its fresh initialisation (everything else must match exactly);
    /// <c>null</c> builds a headless backbone. Truncated entries never have a classifier.
    /// </summary>
    public static (BackboneNetwork Network, WeightLoadReport Report) Create(PretrainedWeights entry, int? numClasses = null,
        WeightDownloaderOptions? downloaderOptions = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string path = new WeightDownloader(downloaderOptions).Ensure(entry, progress);
        var options = entry.CreateOptions();
        options.NumClasses = options.TruncateAfter is null ? numClasses : null;
        var network = BackboneRegistry.Create(entry.Architecture, options);
        try
        {
            using var weights = WeightFile.Read(path);
            var report = network.LoadWeights(weights, new WeightLoadOptions { Strict = false }, path);
            var classifierKeys = new[] { "fc.", "classifier." };
            bool IsClassifier(string key) => classifierKeys.Any(p => key.StartsWith(p, StringComparison.Ordinal));
            var problems = report.MissingKeys.Where(k => !IsClassifier(k))
                .Concat(report.ShapeMismatches.Select(m => m.Name).Where(k => !IsClassifier(k)))
                .Concat(report.UnexpectedKeys.Where(k => !IsClassifier(k)))
                .ToList();
            if (problems.Count > 0)
            {
                throw new InvalidDataException(
                    $"Pretrained weights '{entry.Id}' do not fit the {entry.Architecture} network (only the classifier may differ). " + report.Describe());
            }

            return (network, report);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary><see cref="Create(PretrainedWeights, int?, WeightDownloaderOptions?, IProgress{long}?)"/> by catalog id.</summary>
    public static (BackboneNetwork Network, WeightLoadReport Report) Create(string id, int? numClasses = null,
        WeightDownloaderOptions? downloaderOptions = null, IProgress<long>? progress = null) =>
        Create(PretrainedCatalog.Get(id), numClasses, downloaderOptions, progress);
}
