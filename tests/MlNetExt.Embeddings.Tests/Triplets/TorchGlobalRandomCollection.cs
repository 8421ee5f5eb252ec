using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>
/// Tests that compare two seeded trainings (same initial weights) rely on torch's process-wide generator, so they must
/// not run in parallel with other torch tests.
/// </summary>
[CollectionDefinition(nameof(TorchGlobalRandomCollection), DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection;
