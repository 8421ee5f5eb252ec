using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoringService;

/// <summary>The service's endpoints: health, model info, one row (pooled PredictionEngine), a batch (batched Transform).</summary>
public static class ScoringApi
{
    /// <summary>Request bodies larger than this are refused with 400 before they are read.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record ScoreRequest([property: JsonPropertyName("features")] float[]? Features);

    public sealed record BatchRequest([property: JsonPropertyName("rows")] float[][]? Rows);

    public static void Map(WebApplication app, ServedModel model)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "healthy" }));
        app.MapGet("/model", () => Results.Ok(new
        {
            kind = model.Model.OnnxMetadata.GetValueOrDefault("mlnetext.model"),
            input = new { column = ServedModel.InputColumn, width = model.InputWidth },
            output = new { column = ServedModel.OutputColumn, width = model.OutputWidth },
            scoringBatchSize = model.Model.ScoringBatchSize,
            maxBatchRows = model.MaxBatchRows,
            maxBodyBytes = MaxBodyBytes,
        }));
        app.MapPost("/score", async (HttpRequest request) =>
        {
            var (body, error) = await Read<ScoreRequest>(request);
            if (error is not null)
                return Results.BadRequest(new { error });
            if (model.Check(body!.Features) is string problem)
                return Results.BadRequest(new { error = problem });
            return Results.Ok(new { score = model.ScoreOne(body.Features!) });
        });
        app.MapPost("/score/batch", async (HttpRequest request) =>
        {
            var (body, error) = await Read<BatchRequest>(request);
            if (error is not null)
                return Results.BadRequest(new { error });
            var rows = body!.Rows;
            if (rows is null || rows.Length == 0)
                return Results.BadRequest(new { error = "'rows' is missing or empty; send an array of feature arrays." });
            if (rows.Length > model.MaxBatchRows)
                return Results.BadRequest(new { error = $"'rows' has {rows.Length} rows; at most {model.MaxBatchRows} per request." });
            for (int i = 0; i < rows.Length; i++)
            {
                if (model.Check(rows[i], i) is string problem)
                    return Results.BadRequest(new { error = problem });
            }
            return Results.Ok(new { scores = model.ScoreMany(rows) });
        });
    }

    /// <summary>The JSON body, or a message naming what is wrong with it (size, content type, syntax, a value's type).</summary>
    private static async Task<(T? Body, string? Error)> Read<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength is > MaxBodyBytes)
            return (null, $"The body has {request.ContentLength} bytes; at most {MaxBodyBytes} are accepted.");
        if (!request.HasJsonContentType())
            return (null, "The body must be JSON (Content-Type: application/json).");
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted);
            return body is null ? (null, "The body is empty.") : (body, null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not a valid request: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, $"The body is larger than {MaxBodyBytes} bytes.");
        }
    }
}
