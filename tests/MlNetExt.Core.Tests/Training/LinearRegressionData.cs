using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using TorchSharp;

namespace MlNetExt.Core.Tests.Training;

/// <summary>y = 2 x0 - 3 x1 + 0.5 + noise: a problem a linear layer solves down to the noise variance.</summary>
internal static class LinearRegressionData
{
    public const float NoiseStd = 0.1f;

    public sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public static IEnumerable<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var x0 = (float)(random.NextDouble() * 2 - 1);
            var x1 = (float)(random.NextDouble() * 2 - 1);
            var noise = (float)(NoiseStd * Gaussian(random));
            yield return new Row { Features = [x0, x1], Label = 2 * x0 - 3 * x1 + 0.5f + noise };
        }
    }

    public static IDataView Load(MLContext ml, int count, int seed = 7) => ml.Data.LoadFromEnumerable(Rows(count, seed).ToList());

    public static readonly TensorColumnSpec[] Columns =
    [
        new("Features"),
        new("Label"),
    ];

    public static torch.Tensor MeanSquaredError(torch.nn.Module<torch.Tensor, torch.Tensor> model, TensorBatch batch) =>
        torch.nn.functional.mse_loss(model.forward(batch["Features"]), batch["Label"]);

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
