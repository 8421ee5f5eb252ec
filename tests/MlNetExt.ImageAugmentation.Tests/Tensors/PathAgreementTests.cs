using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.ImageAugmentation.Sampling;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.ImageAugmentation.Tests.Tensors;

/// <summary>The MLImage path and the batched tensor path execute the same plan the same way.</summary>
public class PathAgreementTests
{
    public static TheoryData<string> DeterministicPolicies => new()
    {
        "identity", "hflip", "vflip", "rotate", "shear", "brightness", "contrast", "saturation", "hue",
        "rotate+flip+brightness+contrast", "saturation+hue+contrast", "zoomout", "zoomin", "brightnessshift",
        "zoomout+rotate+brightness+brightnessshift+contrast",
    };

    private static AugmentationPolicy Make(string name) => new(name.Split('+').Select<string, AugmentationOperation>(op => op switch
    {
        "identity" => new Rotate(0, 0, 0),
        "hflip" or "flip" => new HorizontalFlip(1),
        "vflip" => new VerticalFlip(1),
        "rotate" => new Rotate(23, 23, 1),
        "shear" => new Shear(-12, -12, 1),
        "brightness" => new Brightness(1.3, 1.3, 1),
        "contrast" => new Contrast(0.6, 0.6, 1),
        "saturation" => new Saturation(0.4, 0.4, 1),
        "hue" => new Hue(35, 35, 1),
        "zoomout" => new Zoom(0.7, 0.7, 1),
        "zoomin" => new Zoom(1.3, 1.3, 1),
        "brightnessshift" => new BrightnessShift(-0.15, -0.15, 1),
        _ => throw new ArgumentException(op),
    }));

    [Theory]
    [MemberData(nameof(DeterministicPolicies))]
    public void Both_paths_agree_within_one_level_away_from_borders(string policyName)
    {
        using var scope = NewDisposeScope();
        var policy = Make(policyName);
        using var image = TestImages.Colorful(36, 30, variant: 2);
        using var viaImage = ImageAugmenter.Augment(image, policy, 11);
        var expected = TestImages.ToTensor(viaImage);
        var actual = new BatchAugmenter(policy, 11).Apply(TestImages.ToTensor(image), 0, 0);
        const int margin = 2;
        var inner = (Tensor t) => t[.., .., margin..(30 - margin), margin..(36 - margin)];
        float maxDiff = (inner(actual) - inner(expected)).abs().max().item<float>();
        Assert.True(maxDiff <= 1.0f / 255 + 1e-5f, $"max difference {maxDiff * 255:0.000} levels");
    }

    [Fact]
    public void Both_paths_execute_the_same_drawn_plan_alike_for_every_operation_but_pixel_noise()
    {
        // The paths draw from differently derived seeds, so a drawn plan is replayed through both.
        using var scope = NewDisposeScope();
        using var image = TestImages.Colorful(40, 40, variant: 1);
        var policy = AugmentationPolicy.Strong.Without<GaussianNoise>();
        for (ulong seed = 0; seed < 16; seed++)
        {
            var plan = policy.Sample(seed, 40, 40);
            using var viaImage = ImageAugmenter.Execute(image, plan);
            var single = new AugmentationPolicy(PlanAsOperations(plan));
            var actual = new BatchAugmenter(single, 0).Apply(TestImages.ToTensor(image), 0, 0);
            var expected = TestImages.ToTensor(viaImage);
            float maxDiff = (actual[.., .., 2..38, 2..38] - expected[.., .., 2..38, 2..38]).abs().max().item<float>();
            Assert.True(maxDiff <= 1.0f / 255 + 1e-5f, $"seed {seed}: {maxDiff * 255:0.000} levels");
        }
    }

    /// <summary>Fixed operations that reproduce a drawn plan (rotation/scale/shift parts via a generic warp).</summary>
    private static AugmentationOperation[] PlanAsOperations(AugmentationPlan plan) =>
        new AugmentationOperation[] { new FixedPlanOperation(plan) };

    private sealed class FixedPlanOperation(AugmentationPlan source) : TestOperation
    {
        public override string Name => "FixedPlan";

        internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
        {
            var a = source.Inverse;
            if (source.HasGeometry) plan.AppendInverse(a[0], a[1], a[2], a[3], a[4], a[5]);
            plan.Brightness = source.Brightness;
            plan.Contrast = source.Contrast;
            plan.Saturation = source.Saturation;
            plan.HueRadians = source.HueRadians;
            for (int c = 0; c < 3; c++) plan.ColorOffset[c] = source.ColorOffset[c];
            plan.Cutouts.AddRange(source.Cutouts);
        }
    }
}

internal abstract class TestOperation : AugmentationOperation
{
    protected TestOperation() : base(1) { }
}
