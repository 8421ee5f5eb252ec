using Xunit;

namespace MlNetExt.ScoringService.Tests;

/// <summary>
/// The scoring sample under load (issue 16): 16 concurrent clients (7 of 8 requests one row through the pooled
/// PredictionEngine, 1 of 8 a batch of 32 rows through the batched Transform), bad requests, and a graceful stop. Every
/// answer is compared with offline scoring of the same saved model by plain ML.NET. End to end, about 10-20 s.
/// </summary>
public sealed class ScoringServiceLoadTests(LoadedServiceFixture service) : IClassFixture<LoadedServiceFixture>
{
    [Fact]
    public void Sixteen_concurrent_clients_get_an_answer_to_every_request()
    {
        var report = service.Report;

        Assert.True(report.Requests >= 100, $"only {report.Requests} requests were sent in {report.Seconds:F1} s");
        Assert.True(report.Requests <= LoadedServiceFixture.MaxRequests);
        Assert.Equal(0, report.Failed);
        Assert.Equal(report.Requests, report.SortedLatenciesMs.Length);
    }

    [Fact]
    public void Every_answer_equals_offline_scoring_of_the_saved_model()
    {
        var report = service.Report;

        Assert.True(report.Requests > 0);
        Assert.Equal(0, report.Differing);
    }

    [Theory]
    [InlineData("wrong width", "has 13 values; the model takes 12")]
    [InlineData("wrong type", "$.features[0]")]
    [InlineData("not JSON", "must be JSON")]
    [InlineData("too many rows", "has 1025 rows; at most 1024 per request")]
    [InlineData("oversized body", "at most 4194304 are accepted")]
    public void Bad_request_gets_400_with_a_message_naming_the_problem(string name, string message)
    {
        var answer = Assert.Single(service.Report.BadRequests, b => b.Name == name);

        Assert.Equal(400, answer.StatusCode);
        Assert.True(answer.IsClearRefusal, answer.Body);
        Assert.Contains(message, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_finishes_within_the_shutdown_timeout_and_refuses_new_connections()
    {
        var report = service.Report;

        Assert.True(report.StopTime < TimeSpan.FromSeconds(10), $"stop took {report.StopTime.TotalSeconds:F1} s");
        Assert.True(report.RefusedAfterStop, "the stopped service still answered /health");
    }
}
