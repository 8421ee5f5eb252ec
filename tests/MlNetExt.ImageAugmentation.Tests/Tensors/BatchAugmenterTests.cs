using MlNetExt.ImageAugmentation.Operations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.ImageAugmentation.Tests.Tensors;

public class BatchAugmenterTests
{
    private static Tensor RandomBatch(long n = 6, long c = 3, long h = 20, long w = 24, int seed = 1)
    {
        using var g = new Generator((ulong)seed);
        return rand(new[] { n, c, h, w }, generator: g);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 1e-6);

    [Fact]
    public void Output_keeps_shape_type_and_device_and_values_stay_in_range()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch();
        var output = new BatchAugmenter(AugmentationPolicy.Strong, 1).Apply(batch, epoch: 0);
        Assert.Equal(batch.shape, output.shape);
        Assert.Equal(ScalarType.Float32, output.dtype);
        Assert.Equal(batch.device.ToString(), output.device.ToString());
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
        Assert.False(Same(batch, output));
    }

    [Fact]
    public void Policy_without_operations_returns_the_batch_unchanged()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch();
        var p0 = new AugmentationPolicy(new AugmentationOperation[] { new Rotate(probability: 0), new Brightness(probability: 0), new Cutout(probability: 0) });
        Assert.True(Same(batch, new BatchAugmenter(p0, 1).Apply(batch, 0)));
    }

    [Fact]
    public void Randomness_is_fixed_by_seed_epoch_and_batch_and_fresh_for_each_epoch_and_batch()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch();
        var policy = AugmentationPolicy.Default;
        var a = new BatchAugmenter(policy, 5).Apply(batch, 3, 2);
        var b = new BatchAugmenter(policy, 5).Apply(batch, 3, 2);
        Assert.True(Same(a, b));
        Assert.False(Same(a, new BatchAugmenter(policy, 5).Apply(batch, 4, 2)));
        Assert.False(Same(a, new BatchAugmenter(policy, 5).Apply(batch, 3, 1)));
        Assert.False(Same(a, new BatchAugmenter(policy, 6).Apply(batch, 3, 2)));

        // the counting overload numbers batches from 0 within each epoch
        var counting = new BatchAugmenter(policy, 5);
        var first = counting.Apply(batch, 1);
        var second = counting.Apply(batch, 1);
        var nextEpoch = counting.Apply(batch, 2);
        Assert.True(Same(first, new BatchAugmenter(policy, 5).Apply(batch, 1, 0)));
        Assert.True(Same(second, new BatchAugmenter(policy, 5).Apply(batch, 1, 1)));
        Assert.True(Same(nextEpoch, new BatchAugmenter(policy, 5).Apply(batch, 2, 0)));
    }

    [Fact]
    public void Normalised_batches_are_augmented_in_pixel_space_and_renormalised()
    {
        using var scope = NewDisposeScope();
        // explicit scalars held by `using`: TorchSharp's implicit Scalar temporaries may be finalized mid-call
        using var k06 = 0.6f.ToScalar();
        using var k02 = 0.2f.ToScalar();
        using var k12 = 1.2f.ToScalar();
        using var k0 = 0f.ToScalar();
        using var k1 = 1f.ToScalar();
        var raw = RandomBatch().mul(k06).add_(k02);
        float[] mean = { 0.485f, 0.456f, 0.406f }, std = { 0.229f, 0.224f, 0.225f };
        var m = tensor(mean).view(1, 3, 1, 1);
        var s = tensor(std).view(1, 3, 1, 1);
        var normalised = (raw - m) / s;
        var brighter = new AugmentationPolicy(new[] { new Brightness(1.2, 1.2, 1) });
        var output = new BatchAugmenter(brighter, 1, mean, std).Apply(normalised, 0);
        var expected = (raw.mul(k12).clamp(k0, k1) - m) / s;
        Assert.True(output.allclose(expected, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Class_labels_select_the_class_policy()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch(n: 8);
        var labels = tensor(new long[] { 0, 1, 0, 1, 2, 2, 1, 0 });
        var policy = new ClassAugmentationPolicy(AugmentationPolicy.Strong).WithOverride("Trouser", AugmentationPolicy.None);
        var output = new BatchAugmenter(policy, new[] { "T-shirt/top", "Trouser", "Pullover" }, 3).Apply(batch, 0, labels);
        for (int i = 0; i < 8; i++)
        {
            bool unchanged = Same(batch[i], output[i]);
            Assert.Equal(labels[i].item<long>() == 1, unchanged);
        }
    }

    [Fact]
    public void Gray_batches_work_with_every_preset()
    {
        using var scope = NewDisposeScope();
        var batch = RandomBatch(c: 1);
        foreach (var policy in new[] { AugmentationPolicy.Light, AugmentationPolicy.Default, AugmentationPolicy.Strong, AugmentationPolicy.RandAugment(2, 15) })
        {
            var output = new BatchAugmenter(policy, 2).Apply(batch, 0);
            Assert.Equal(batch.shape, output.shape);
            Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
        }
    }

    [Fact]
    public void Cutout_fills_its_rectangle_and_noise_has_the_requested_spread()
    {
        using var scope = NewDisposeScope();
        using var half = 0.5f.ToScalar();
        using var one = 1f.ToScalar();
        var flat = full(new long[] { 4, 3, 32, 32 }, half);
        var cut = new BatchAugmenter(new AugmentationPolicy(new[] { new Cutout(0.1, 0.1, 1, 1, 1.0, 1) }), 1).Apply(flat, 0);
        var filled = cut.eq(one).sum(new long[] { 1, 2, 3 });
        // a square of 10% of 1024 pixels (10 x 10 after rounding) in 3 channels
        Assert.All(filled.data<long>().ToArray(), n => Assert.Equal(300, n));

        var noisy = new BatchAugmenter(new AugmentationPolicy(new[] { new GaussianNoise(0.05, 0.05, 1) }), 1).Apply(flat, 0);
        Assert.InRange((noisy - flat).std().item<float>(), 0.045f, 0.055f);
    }

    [Fact]
    public void Bad_batches_are_rejected_with_the_problem_named()
    {
        using var scope = NewDisposeScope();
        var augmenter = new BatchAugmenter(AugmentationPolicy.Default, 1);
        Assert.Contains("[N, C, H, W]", Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(3, 8, 8), 0)).Message);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(new long[] { 1, 3, 8, 8 }, ScalarType.Int64), 0)).Message);
        Assert.Contains("channels", Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(1, 2, 8, 8), 0)).Message);
        Assert.Contains("zero size", Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(1, 3, 0, 8), 0)).Message);
        Assert.Contains("labels", Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(2, 3, 8, 8), 0, tensor(new long[] { 1 }))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchAugmenter(AugmentationPolicy.Default, 1, new[] { 0f }, new[] { 0f }));
    }
}

public class SamplingGridTests
{
    [Fact]
    public void Managed_sampling_grid_matches_affine_grid()
    {
        using var scope = NewDisposeScope();
        float[] theta = { 0.9f, 0.2f, 0.05f, -0.15f, 1.1f, -0.1f, -1f, 0f, 0f, 0f, 1f, 0f };
        var ours = BatchAugmenter.SamplingGrid(theta, 2, 7, 11);
        var reference = nn.functional.affine_grid(tensor(theta, new long[] { 2, 2, 3 }), new long[] { 2, 3, 7, 11 }, align_corners: false);
        Assert.True(ours.allclose(reference, rtol: 0, atol: 1e-5));
    }
}
