namespace ScoringService;

/// <summary>Builds the web application around a saved model: Kestrel's body limit, the endpoints, and a graceful stop
/// (requests in flight finish within the shutdown timeout; the model's ONNX Runtime sessions are released afterwards).</summary>
public static class Service
{
    public static WebApplication Build(string modelPath, string urls, int maxBatchRows)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        // Kestrel refuses bodies above this with 413 while reading; the endpoints answer 400 from Content-Length first.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = ScoringApi.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var model = new ServedModel(modelPath, maxBatchRows);
        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(model.Dispose);
        ScoringApi.Map(app, model);
        return app;
    }
}
