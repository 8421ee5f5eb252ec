using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Evaluation;
using Xunit;

namespace MlNetExt.Regression.Tests.Evaluation;

public class EvaluateCountsTests
{
    public sealed class ScalarRow { public float Label { get; set; } public float Score { get; set; } }
    public sealed class VectorRow
    {
        [VectorType(2)] public float[] Label { get; set; } = [];
        [VectorType(2)] public float[] Score { get; set; } = [];
    }

    private static double LogFactorial(int k) { double s = 0; for (int i = 2; i <= k; i++) s += Math.Log(i); return s; }
    private static double PoissonLl(int k, double mu) => k * Math.Log(mu) - mu - LogFactorial(k);

    [Fact]
    public void Scalar_metrics_match_hand_computation()
    {
        var ml = new MLContext(1);
        int[] k = { 0, 1, 3, 7 };
        double[] mu = { 0.5, 1.5, 2.0, 6.0 };
        var data = ml.Data.LoadFromEnumerable(k.Select((x, i) => new ScalarRow { Label = x, Score = (float)mu[i] }));

        var m = ml.Regression.EvaluateCounts(data);

        double nll = -k.Select((x, i) => PoissonLl(x, (float)mu[i])).Average();
        Assert.Equal(nll, m.MeanNegativeLogLikelihood, 6);
        double Dev(int x, double u) => 2 * ((x > 0 ? x * Math.Log(x / u) : 0) - (x - u));
        double dev = k.Select((x, i) => Dev(x, (float)mu[i])).Sum();
        double mean = k.Average();
        double nullDev = k.Select(x => Dev(x, mean)).Sum();
        Assert.Equal(dev / 4, m.MeanDeviance, 6);
        Assert.Equal(1 - dev / nullDev, m.DevianceExplained, 6);
        double llNull = k.Select(x => PoissonLl(x, mean)).Sum();
        double bits = (k.Select((x, i) => PoissonLl(x, (float)mu[i])).Sum() - llNull) / (Math.Log(2) * k.Sum());
        Assert.Equal(bits, m.BitsPerSpike, 6);
        Assert.Single(m.PerOutput);
        Assert.Null(m.MeanNegativeBinomialNegativeLogLikelihood);
    }

    [Fact]
    public void Vector_labels_give_per_output_figures_and_reference_rates_change_bits_per_spike()
    {
        var ml = new MLContext(1);
        var rows = new[]
        {
            new VectorRow { Label = [2, 0], Score = [1.5f, 0.2f] },
            new VectorRow { Label = [4, 1], Score = [3.5f, 0.4f] },
            new VectorRow { Label = [0, 0], Score = [0.5f, 0.3f] },
        };
        var data = ml.Data.LoadFromEnumerable(rows);
        double[] reference = { 1.0, 0.5 };

        var m = ml.Regression.EvaluateCounts(data, referenceMeanCounts: reference);

        Assert.Equal(2, m.PerOutput.Count);
        for (int j = 0; j < 2; j++)
        {
            double ll = rows.Sum(r => PoissonLl((int)r.Label[j], r.Score[j]));
            double llRef = rows.Sum(r => PoissonLl((int)r.Label[j], reference[j]));
            double spikes = rows.Sum(r => r.Label[j]);
            Assert.Equal(-ll / 3, m.PerOutput[j].MeanNegativeLogLikelihood, 6);
            Assert.Equal((ll - llRef) / (Math.Log(2) * spikes), m.PerOutput[j].BitsPerSpike, 6);
            Assert.Equal(reference[j], m.PerOutput[j].ReferenceMeanCount);
        }
        double total = rows.Sum(r => PoissonLl((int)r.Label[0], r.Score[0]) + PoissonLl((int)r.Label[1], r.Score[1]));
        Assert.Equal(-total / 6, m.MeanNegativeLogLikelihood, 6);
        Assert.Equal(new[] { 2.0, 1.0 / 3 }, ml.Regression.ComputeMeanCounts(data));
    }

    [Fact]
    public void Negative_binomial_likelihood_matches_gamma_poisson_formula_and_tends_to_poisson()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Label = 3, Score = 2f }, new ScalarRow { Label = 0, Score = 1f } });
        double alpha = 0.5, theta = 1 / alpha;
        // NB pmf(3 | mu=2, theta=2) = Γ(5)/(Γ(2) 3!) (2/4)^2 (2/4)^3 = 4 * (1/32) ; pmf(0 | mu=1) = (2/3)^2
        double expected = -(Math.Log(4.0 / 32) + 2 * Math.Log(2.0 / 3)) / 2;
        Assert.Equal(expected, ml.Regression.EvaluateCounts(data, dispersion: [alpha]).MeanNegativeBinomialNegativeLogLikelihood!.Value, 9);
        _ = theta;
        var nearPoisson = ml.Regression.EvaluateCounts(data, dispersion: [1e-7]);
        Assert.Equal(nearPoisson.MeanNegativeLogLikelihood, nearPoisson.MeanNegativeBinomialNegativeLogLikelihood!.Value, 5);
    }

    [Fact]
    public void Negative_counts_fail_naming_column_and_row()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Label = 1, Score = 1 }, new ScalarRow { Label = -1, Score = 1 } });
        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.EvaluateCounts(data));
        Assert.Contains("Label column 'Label' has an invalid count (-1) at row 1", e.Message);
    }
}
