// A scoring service for a saved MlNetExt model (ASP.NET Core minimal API, shared framework only):
//   dotnet run -c Release --project samples/ScoringService -- serve [--model model.zip] [--urls http://127.0.0.1:5080]
//   dotnet run -c Release --project samples/ScoringService -- load-test [--seconds 10] [--requests 20000] [--clients 16]
// Without --model, a small count model is trained on generated data and saved beside the program first.
using ScoringService;

string mode = args.Length > 0 ? args[0] : "serve";
string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

string modelPath = Option("--model") ?? SyntheticModel.TrainAndSave(Path.Combine(AppContext.BaseDirectory, "model.zip"));
switch (mode)
{
    case "serve":
        await using (var app = Service.Build(modelPath, Option("--urls") ?? "http://127.0.0.1:5080", maxBatchRows: 1024))
            await app.RunAsync();
        return 0;
    case "load-test":
        return await LoadTest.RunAsync(modelPath, seconds: int.Parse(Option("--seconds") ?? "10"),
            maxRequests: int.Parse(Option("--requests") ?? "20000"), clients: int.Parse(Option("--clients") ?? "16"));
    default:
        Console.Error.WriteLine("usage: ScoringService serve|load-test [options]");
        return 2;
}
