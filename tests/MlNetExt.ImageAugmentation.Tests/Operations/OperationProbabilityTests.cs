using MlNetExt.ImageAugmentation.Operations;
using Xunit;

namespace MlNetExt.ImageAugmentation.Tests.Operations;

public class OperationProbabilityTests
{
    public static TheoryData<string> OperationNames => new()
    {
        "HorizontalFlip", "VerticalFlip", "Shift", "ScaleCrop", "Rotate", "Shear", "Brightness", "Contrast",
        "Saturation", "Hue", "ColorNoise", "GaussianNoise", "Cutout", "Zoom", "BrightnessShift",
    };

    /// <summary>Each operation at a magnitude that visibly changes <see cref="TestImages.Colorful"/>.</summary>
    internal static AugmentationOperation Make(string name, double p) => name switch
    {
        "HorizontalFlip" => new HorizontalFlip(p),
        "VerticalFlip" => new VerticalFlip(p),
        "Shift" => new Shift(0.2, 0.2, p),
        "ScaleCrop" => new ScaleCrop(0.4, 0.7, 0.75, 1.33, p),
        "Rotate" => new Rotate(10, 20, p, randomSign: true),
        "Shear" => new Shear(10, 20, p),
        "Brightness" => new Brightness(1.2, 1.5, p),
        "Contrast" => new Contrast(0.4, 0.7, p),
        "Saturation" => new Saturation(0.1, 0.5, p),
        "Hue" => new Hue(30, 60, p),
        "ColorNoise" => new ColorNoise(0.05, 0.1, p),
        "GaussianNoise" => new GaussianNoise(0.05, 0.1, p),
        "Cutout" => new Cutout(0.1, 0.2, 0.5, 2, 0, p),
        "Zoom" => new Zoom(0.6, 0.8, p),
        "BrightnessShift" => new BrightnessShift(0.1, 0.2, p),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Probability_zero_never_changes_the_image(string name)
    {
        using var image = TestImages.Colorful();
        var policy = new AugmentationPolicy(new[] { Make(name, 0) });
        var original = TestImages.Bytes(image);
        for (ulong seed = 0; seed < 40; seed++)
        {
            using var output = TestImages.Execute(image, policy, seed);
            Assert.Equal(original, TestImages.Bytes(output));
        }
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Probability_one_always_changes_the_image(string name)
    {
        using var image = TestImages.Colorful();
        var policy = new AugmentationPolicy(new[] { Make(name, 1) });
        var original = TestImages.Bytes(image);
        for (ulong seed = 0; seed < 40; seed++)
        {
            Assert.Equal(1UL, policy.Sample(seed, image.Width, image.Height).AppliedMask);
            using var output = TestImages.Execute(image, policy, seed);
            Assert.True(TestImages.CountDifferentBytes(original, TestImages.Bytes(output)) > 0, $"seed {seed}: unchanged");
        }
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Same_seed_gives_the_same_pixels_and_other_seeds_vary(string name)
    {
        using var image = TestImages.Colorful();
        var policy = new AugmentationPolicy(new[] { Make(name, 1) });
        using var a = ImageAugmenter.Augment(image, policy, 123);
        using var b = ImageAugmenter.Augment(image, policy, 123);
        Assert.Equal(TestImages.Bytes(a), TestImages.Bytes(b));
        if (name is "HorizontalFlip" or "VerticalFlip") return; // no magnitude to vary
        var distinct = Enumerable.Range(0, 6).Select(seed =>
        {
            using var o = ImageAugmenter.Augment(image, policy, seed);
            return Convert.ToBase64String(TestImages.Bytes(o));
        }).Distinct().Count();
        Assert.True(distinct >= 5, $"{name}: only {distinct} distinct results from 6 seeds");
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Probability_half_applies_to_about_half_the_images(string name)
    {
        var policy = new AugmentationPolicy(new[] { new Brightness(1, 1, 1), Make(name, 0.5) });
        const int draws = 1000;
        int applied = 0;
        for (ulong seed = 0; seed < draws; seed++)
            if ((policy.Sample(seed, 32, 24).AppliedMask & 2) != 0) applied++;
        // binomial(1000, 0.5): sd 15.8, the band is +-5 sd
        Assert.InRange(applied, 420, 580);
    }
}
