namespace MlNetExt.Vision.Weights;

/// <summary>Strict weight loading found missing keys, unexpected keys or shape mismatches; nothing was loaded.</summary>
public sealed class WeightLoadException : InvalidOperationException
{
    /// <summary>Creates the exception from the report of the failed load.</summary>
    public WeightLoadException(WeightLoadReport report)
        : base("Strict weight loading failed (nothing was loaded). " + report.Describe()
              + Environment.NewLine + "Use WeightLoadOptions { Strict = false } to load what matches.")
    {
        Report = report;
    }

    /// <summary>The full report.</summary>
    public WeightLoadReport Report { get; }
}
