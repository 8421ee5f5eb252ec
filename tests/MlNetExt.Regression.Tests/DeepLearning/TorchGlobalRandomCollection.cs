using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary>torch's default generator is process-wide: tests that compare two seeded trainings must not share it with
/// tests running in parallel.</summary>
[CollectionDefinition(nameof(TorchGlobalRandomCollection), DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection;
