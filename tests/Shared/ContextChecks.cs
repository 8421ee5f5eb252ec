using Microsoft.ML;

namespace MlNetExt.Tests.Shared;

/// <summary>What every plugin's context tests do the same way: read an MLContext's log, and fit two estimators of one
/// context in both orders.</summary>
public static class ContextChecks
{
    /// <summary>The messages <paramref name="ml"/>'s log receives from now on (the list is filled as they arrive).</summary>
    public static List<string> CaptureLog(MLContext ml)
    {
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        return lines;
    }

    /// <summary>
    /// Creates two estimators (and their data) with <paramref name="create"/>, fits the first then the second and reads each
    /// model with <paramref name="read"/>; then creates them again and fits the second first. Both results are given as
    /// (first estimator's, second estimator's), so equal pairs mean the order of fitting does not matter.
    /// </summary>
    public static ((T A, T B) InOrder, (T A, T B) Reversed) FitBothOrders<TModel, T>(
        Func<(IEstimator<TModel> First, IEstimator<TModel> Second, IDataView Data)> create, Func<TModel, IDataView, T> read)
        where TModel : class, ITransformer
    {
        (T A, T B) Fit(bool firstFirst)
        {
            var (first, second, data) = create();
            if (firstFirst)
            {
                var modelA = first.Fit(data);
                return (read(modelA, data), read(second.Fit(data), data));
            }
            var modelB = second.Fit(data);
            return (read(first.Fit(data), data), read(modelB, data));
        }

        return (Fit(firstFirst: true), Fit(firstFirst: false));
    }
}
