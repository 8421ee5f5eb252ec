using ScoringService;
using Xunit;

namespace MlNetExt.ScoringService.Tests;

/// <summary>Trains the sample's small count model once, then runs the sample's load test against the service on
/// 127.0.0.1 (an ephemeral port) with 16 concurrent clients for at most 3 s and 4,000 requests.</summary>
public sealed class LoadedServiceFixture : IAsyncLifetime
{
    public const int Clients = 16;
    public const int MaxRequests = 4000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetext-scoring-service-" + Guid.NewGuid().ToString("N"));

    public LoadTestReport Report { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        string model = SyntheticModel.TrainAndSave(Path.Combine(_folder, "model.zip"));
        Report = await LoadTest.MeasureAsync(model, TimeSpan.FromSeconds(3), MaxRequests, Clients, warmUp: TimeSpan.FromSeconds(1), TextWriter.Null);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
