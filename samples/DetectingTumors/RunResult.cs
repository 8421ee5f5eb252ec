using Microsoft.ML.Data;
using MlNetExt.Core.Training;

namespace MlNetExt.Samples.DetectingTumors;

/// <summary>One configuration's held-out metrics and training history.</summary>
internal sealed record RunResult(string Name, CalibratedBinaryClassificationMetrics Metrics, IReadOnlyList<TrainingProgress> History, TimeSpan Elapsed);
