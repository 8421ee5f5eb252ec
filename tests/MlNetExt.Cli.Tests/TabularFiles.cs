using System.Globalization;
using System.Text;

namespace MlNetExt.Cli.Tests;

/// <summary>Small generated CSV files with a known signal.</summary>
public static class TabularFiles
{
    /// <summary>Poisson counts y with log-mean 0.5 + 0.8 x1 - 0.5 x2 (+0.4 for group a): columns x1,x2,group,y.</summary>
    public static void Counts(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x1,x2,group,y\n");
        for (int i = 0; i < rows; i++)
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.NextDouble() * 2 - 1;
            string group = "abc"[random.Next(3)].ToString();
            double mean = Math.Exp(0.5 + 0.8 * x1 - 0.5 * x2 + (group == "a" ? 0.4 : 0));
            text.Append(CultureInfo.InvariantCulture, $"{x1:F4},{x2:F4},{group},{Poisson(random, mean)}\n");
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>y = 2 x1 + noise whose standard deviation grows with x2: columns x1,x2,y.</summary>
    public static void Gaussian(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < rows; i++)
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.NextDouble();
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            text.Append(CultureInfo.InvariantCulture, $"{x1:F4},{x2:F4},{2 * x1 + (0.1 + 0.5 * x2) * noise:F4}\n");
        }
        File.WriteAllText(path, text.ToString());
    }

    private static int Poisson(Random random, double mean)
    {
        double limit = Math.Exp(-mean), product = random.NextDouble();
        int k = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            k++;
        }
        return k;
    }
}

/// <summary>Two views sharing two latent signals: columns a1,a2,a3,b1,b2,b3 (a3 and b3 are noise).</summary>
public static class TwoViewFiles
{
    public static void Write(string path, int rows, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var text = new StringBuilder("a1,a2,a3,b1,b2,b3\n");
        for (int i = 0; i < rows; i++)
        {
            double z1 = Normal(), z2 = Normal();
            double[] values = [z1 + 0.3 * Normal(), z2 + 0.5 * Normal(), Normal(), 2 * Math.Tanh(z1) + 0.3 * Normal(), -z2 + 0.5 * Normal(), Normal()];
            text.AppendJoin(',', values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }
}
