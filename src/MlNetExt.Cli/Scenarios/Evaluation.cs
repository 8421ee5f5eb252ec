namespace MlNetExt.Cli.Scenarios;

/// <summary>The held-out (or new-data) evaluation of a model: metrics.json and the report sections that show it.</summary>
internal sealed class Evaluation
{
    public required RunMetrics Metrics { get; init; }

    /// <summary>The report's scenario sections after the metric table: (id, heading, HTML).</summary>
    public required IReadOnlyList<(string Id, string Heading, string Html)> Sections { get; init; }

    /// <summary>Descriptions of the headline metrics.</summary>
    public required IReadOnlyDictionary<string, string> Descriptions { get; init; }

    /// <summary>One line for the console and the report's summary.</summary>
    public required string Headline { get; init; }
}
