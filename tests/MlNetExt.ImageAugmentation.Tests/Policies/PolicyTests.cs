using System.Numerics;
using MlNetExt.ImageAugmentation.Operations;
using Xunit;
using static MlNetExt.ImageAugmentation.Tests.TestImages;

namespace MlNetExt.ImageAugmentation.Tests.Policies;

public class PolicyTests
{
    public static TheoryData<string> Presets => new() { "Light", "Default", "Strong", "RandAugment" };

    private static AugmentationPolicy Preset(string name) => name switch
    {
        "Light" => AugmentationPolicy.Light,
        "Default" => AugmentationPolicy.Default,
        "Strong" => AugmentationPolicy.Strong,
        _ => AugmentationPolicy.RandAugment(2, 9),
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Same_seed_gives_the_same_image_and_other_seeds_differ(string preset)
    {
        using var image = Colorful();
        var policy = Preset(preset);
        using var a = ImageAugmenter.Augment(image, policy, 42);
        using var b = ImageAugmenter.Augment(image, policy, 42);
        Assert.Equal(Bytes(a), Bytes(b));
        int distinct = Enumerable.Range(0, 8).Select(s =>
        {
            using var o = ImageAugmenter.Augment(image, policy, s);
            return Convert.ToBase64String(Bytes(o));
        }).Distinct().Count();
        Assert.True(distinct >= 6, $"only {distinct} distinct images from 8 seeds");
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Presets_keep_size_and_format_and_change_most_images(string preset)
    {
        using var image = Colorful();
        var original = Bytes(image);
        int changed = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            using var output = ImageAugmenter.Augment(image, Preset(preset), seed);
            Assert.Equal((32, 24), (output.Width, output.Height));
            Assert.Equal(image.PixelFormat, output.PixelFormat);
            if (CountDifferentBytes(original, Bytes(output)) > 0) changed++;
        }
        Assert.True(changed >= 30, $"{preset} changed only {changed} of 40 images");
    }

    [Fact]
    public void Stronger_presets_change_images_more()
    {
        using var image = Colorful(48, 48);
        var original = Bytes(image);
        double MeanAbsChange(AugmentationPolicy p) => Enumerable.Range(0, 60).Average(s =>
        {
            using var o = ImageAugmenter.Augment(image, p, s);
            return Bytes(o).Zip(original).Average(q => Math.Abs(q.First - q.Second));
        });
        double light = MeanAbsChange(AugmentationPolicy.Light);
        double normal = MeanAbsChange(AugmentationPolicy.Default);
        double strong = MeanAbsChange(AugmentationPolicy.Strong);
        Assert.True(light < normal && normal < strong, $"light {light:0.0}, default {normal:0.0}, strong {strong:0.0}");
    }

    [Fact]
    public void RandAugment_applies_exactly_n_distinct_operations_per_image()
    {
        var policy = AugmentationPolicy.RandAugment(3, 10);
        var used = new int[policy.Operations.Count];
        for (ulong seed = 0; seed < 500; seed++)
        {
            ulong mask = policy.Sample(seed, 32, 32).AppliedMask;
            Assert.Equal(3, BitOperations.PopCount(mask));
            for (int i = 0; i < used.Length; i++) if ((mask & (1UL << i)) != 0) used[i]++;
        }
        // 1500 picks over 10 operations: each about 150
        Assert.All(used, u => Assert.InRange(u, 100, 200));
    }

    [Fact]
    public void RandAugment_magnitude_sets_the_strength_of_each_operation()
    {
        var weak = AugmentationPolicy.RandAugment(1, 3);
        var strong = AugmentationPolicy.RandAugment(1, 27);
        var weakRotate = Assert.IsType<Rotate>(weak.Operations[0]);
        var strongRotate = Assert.IsType<Rotate>(strong.Operations[0]);
        Assert.Equal(3, weakRotate.MaxDegrees, 9);
        Assert.Equal(27, strongRotate.MaxDegrees, 9);
        Assert.Equal(weakRotate.MinDegrees, weakRotate.MaxDegrees);
    }

    [Fact]
    public void Without_removes_an_operation_type()
    {
        var noFlip = AugmentationPolicy.Default.Without<HorizontalFlip>();
        Assert.DoesNotContain(noFlip.Operations, o => o is HorizontalFlip);
        Assert.Equal(AugmentationPolicy.Default.Operations.Count - 1, noFlip.Operations.Count);
    }

    [Fact]
    public void Geometric_operations_compose_into_one_warp_in_policy_order()
    {
        // flip then flip again is the identity warp
        using var image = Colorful();
        var policy = new AugmentationPolicy(new AugmentationOperation[] { new HorizontalFlip(1), new HorizontalFlip(1) });
        using var output = Execute(image, policy, 0);
        Assert.Equal(Bytes(image), Bytes(output));
    }

    [Fact]
    public void Class_policy_uses_the_override_for_its_label_and_the_default_otherwise()
    {
        var classes = new ClassAugmentationPolicy(AugmentationPolicy.Default)
            .WithOverride("Bag", AugmentationPolicy.Default.Without<HorizontalFlip>())
            .WithOverride("Sandal", AugmentationPolicy.Strong);
        Assert.Same(AugmentationPolicy.Strong, classes.For("Sandal"));
        Assert.DoesNotContain(classes.For("Bag").Operations, o => o is HorizontalFlip);
        Assert.Same(AugmentationPolicy.Default, classes.For("Coat"));
    }
}
