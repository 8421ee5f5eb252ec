using MlNetExt.ImageAugmentation.Operations;
using Xunit;

namespace MlNetExt.ImageAugmentation.Tests.Operations;

public class OperationValidationTests
{
    public static TheoryData<string, string> BadOptions => new()
    {
        { "flip probability 1.5", "probability" },
        { "flip probability -0.1", "probability" },
        { "flip probability NaN", "probability" },
        { "scale 0", "minScale" },
        { "scale -0.2", "minScale" },
        { "scale 1.5", "maxScale" },
        { "scale min > max", "minScale" },
        { "aspect 0", "minAspectRatio" },
        { "shift 1", "maxFractionX" },
        { "shift -0.1", "maxFractionY" },
        { "rotate 200", "maxDegrees" },
        { "shear 90", "minDegrees" },
        { "brightness -1", "minFactor" },
        { "contrast 11", "maxFactor" },
        { "hue -181", "minDegrees" },
        { "noise std 2", "maxStd" },
        { "color noise -0.1", "minStd" },
        { "cutout area 0", "minArea" },
        { "cutout fill 2", "fill" },
        { "zoom 0", "minFactor" },
        { "zoom 11", "maxFactor" },
        { "zoom min > max", "minFactor" },
        { "brightness shift -1.5", "minOffset" },
        { "brightness shift 2", "maxOffset" },
    };

    private static AugmentationOperation Make(string option) => option switch
    {
        "flip probability 1.5" => new HorizontalFlip(1.5),
        "flip probability -0.1" => new VerticalFlip(-0.1),
        "flip probability NaN" => new HorizontalFlip(double.NaN),
        "scale 0" => new ScaleCrop(minScale: 0),
        "scale -0.2" => new ScaleCrop(minScale: -0.2),
        "scale 1.5" => new ScaleCrop(maxScale: 1.5),
        "scale min > max" => new ScaleCrop(minScale: 0.9, maxScale: 0.5),
        "aspect 0" => new ScaleCrop(minAspectRatio: 0),
        "shift 1" => new Shift(maxFractionX: 1),
        "shift -0.1" => new Shift(maxFractionY: -0.1),
        "rotate 200" => new Rotate(0, 200),
        "shear 90" => new Shear(-90, 0),
        "brightness -1" => new Brightness(-1, 1),
        "contrast 11" => new Contrast(1, 11),
        "hue -181" => new Hue(-181, 0),
        "noise std 2" => new GaussianNoise(0, 2),
        "color noise -0.1" => new ColorNoise(-0.1, 0),
        "cutout area 0" => new Cutout(minArea: 0),
        "cutout fill 2" => new Cutout(fill: 2),
        "zoom 0" => new Zoom(0, 1),
        "zoom 11" => new Zoom(1, 11),
        "zoom min > max" => new Zoom(1.2, 0.8),
        "brightness shift -1.5" => new BrightnessShift(-1.5, 0),
        "brightness shift 2" => new BrightnessShift(0, 2),
        _ => throw new ArgumentException(option),
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Out_of_range_option_throws_naming_the_option(string option, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Make(option));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(parameter, e.Message);
    }

    [Fact]
    public void RandAugment_with_bad_n_or_m_throws_naming_it()
    {
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationPolicy.RandAugment(0, 9)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationPolicy.RandAugment(11, 9)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationPolicy.RandAugment(2, 31)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationPolicy.RandAugment(2, -1)).ParamName);
    }

    [Fact]
    public void Policy_with_more_operations_per_image_than_operations_throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AugmentationPolicy(new[] { new HorizontalFlip() }, 2));
        Assert.Equal("operationsPerImage", e.ParamName);
    }
}
