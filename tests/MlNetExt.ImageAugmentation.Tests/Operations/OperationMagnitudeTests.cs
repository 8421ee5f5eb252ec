using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation.Operations;
using Xunit;
using static MlNetExt.ImageAugmentation.Tests.TestImages;

namespace MlNetExt.ImageAugmentation.Tests.Operations;

public class OperationMagnitudeTests
{
    private static byte[] Run(MLImage image, AugmentationOperation op, ulong seed = 1)
    {
        using var output = Execute(image, new AugmentationPolicy(new[] { op }), seed);
        return Bytes(output);
    }

    [Fact]
    public void Horizontal_flip_mirrors_exactly()
    {
        using var image = Colorful();
        var input = Bytes(image);
        var output = Run(image, new HorizontalFlip(1));
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 32; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(At(input, 32, 31 - x, y, c), At(output, 32, x, y, c));
    }

    [Fact]
    public void Vertical_flip_mirrors_exactly()
    {
        using var image = Colorful();
        var input = Bytes(image);
        var output = Run(image, new VerticalFlip(1));
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 32; x++)
                Assert.Equal(At(input, 32, x, 23 - y, 0), At(output, 32, x, y, 0));
    }

    [Fact]
    public void Rotation_by_90_degrees_turns_a_square_image_counter_clockwise()
    {
        using var image = Colorful(20, 20);
        var input = Bytes(image);
        var output = Run(image, new Rotate(90, 90, 1));
        // counter-clockwise on screen: the output's top row is the input's right column
        for (int y = 1; y < 19; y++)
            for (int x = 1; x < 19; x++)
                Assert.InRange(At(output, 20, x, y, 0) - At(input, 20, 19 - y, x, 0), -1, 1);
    }

    [Fact]
    public void Rotation_angles_stay_within_the_range()
    {
        var policy = new AugmentationPolicy(new[] { new Rotate(-12, 7, 1) });
        for (ulong seed = 0; seed < 200; seed++)
        {
            var a = policy.Sample(seed, 32, 32).Inverse;
            double degrees = Math.Atan2(a[3], a[0]) * 180 / Math.PI;
            Assert.InRange(degrees, -12 - 1e-9, 7 + 1e-9);
        }
    }

    [Fact]
    public void Shift_offsets_stay_within_the_fraction_of_the_size()
    {
        var policy = new AugmentationPolicy(new[] { new Shift(0.1, 0.25, 1) });
        double maxX = 0, maxY = 0;
        for (ulong seed = 0; seed < 300; seed++)
        {
            var a = policy.Sample(seed, 40, 20).Inverse;
            Assert.InRange(Math.Abs(a[2]), 0, 4 + 1e-9);
            Assert.InRange(Math.Abs(a[5]), 0, 5 + 1e-9);
            maxX = Math.Max(maxX, Math.Abs(a[2]));
            maxY = Math.Max(maxY, Math.Abs(a[5]));
        }
        Assert.True(maxX > 3.5 && maxY > 4.5, "the range is used");
    }

    [Fact]
    public void Scale_crop_area_and_aspect_ratio_stay_within_their_ranges()
    {
        var policy = new AugmentationPolicy(new[] { new ScaleCrop(0.3, 0.6, 0.8, 1.25, 1) });
        for (ulong seed = 0; seed < 300; seed++)
        {
            var a = policy.Sample(seed, 50, 50).Inverse;
            double area = a[0] * a[4], ratio = a[0] / a[4];
            Assert.InRange(area, 0.3 - 1e-9, 0.6 + 1e-9);
            Assert.InRange(ratio, 0.8 - 1e-9, 1.25 + 1e-9);
            // the crop lies inside the image
            Assert.InRange(Math.Abs(a[2]) + 25 * a[0], 0, 25 + 1e-9);
            Assert.InRange(Math.Abs(a[5]) + 25 * a[4], 0, 25 + 1e-9);
        }
    }

    [Fact]
    public void Zoom_out_shrinks_the_picture_about_the_centre_with_a_black_border()
    {
        using var image = Colorful(40, 40);
        var input = Bytes(image);
        var output = Run(image, new Zoom(0.5, 0.5, 1));
        // the picture now fills the central 20 x 20 pixels: output (10 + i / 2) ~ input (i), the border is black
        Assert.Equal(0, At(output, 40, 2, 2, 0));
        Assert.Equal(0, At(output, 40, 37, 20, 1));
        Assert.Equal(0, At(output, 40, 20, 38, 2));
        for (int y = 12; y < 28; y += 3)
            for (int x = 12; x < 28; x += 3)
                for (int c = 0; c < 3; c++)
                {
                    double sx = 2 * (x + 0.5 - 20) + 20 - 0.5, sy = 2 * (y + 0.5 - 20) + 20 - 0.5;
                    double expected = 0.5 * (At(input, 40, (int)sx, (int)sy, c) + At(input, 40, (int)sx + 1, (int)sy + 1, c));
                    Assert.InRange(At(output, 40, x, y, c) - expected, -12, 12);
                }
    }

    [Fact]
    public void Zoom_factors_stay_within_the_range_and_keep_the_centre()
    {
        var policy = new AugmentationPolicy(new[] { new Zoom(0.75, 1.25, 1) });
        double smallest = double.MaxValue, largest = 0;
        for (ulong seed = 0; seed < 300; seed++)
        {
            var a = policy.Sample(seed, 30, 20).Inverse;
            double factor = 1 / a[0];
            Assert.Equal(a[0], a[4], 12);
            Assert.Equal(0, a[1]);
            Assert.Equal(0, a[2]);
            Assert.Equal(0, a[5]);
            Assert.InRange(factor, 0.75 - 1e-9, 1.25 + 1e-9);
            smallest = Math.Min(smallest, factor);
            largest = Math.Max(largest, factor);
        }
        Assert.True(smallest < 0.8 && largest > 1.2, "the range is used, on both sides of 1");
    }

    [Fact]
    public void Shear_moves_rows_in_proportion_to_their_height()
    {
        var a = new AugmentationPolicy(new[] { new Shear(20, 20, 1) }).Sample(3, 32, 32).Inverse;
        Assert.Equal(-Math.Tan(20 * Math.PI / 180), a[1], 9);
        Assert.Equal(1, a[0], 9);
        Assert.Equal(0, a[3], 9);
    }

    [Fact]
    public void Brightness_multiplies_every_channel_by_the_factor()
    {
        using var image = Colorful();
        var input = Bytes(image);
        var output = Run(image, new Brightness(1.25, 1.25, 1));
        for (int i = 0; i < input.Length; i++)
        {
            if (i % 4 == 3) continue;
            double expected = Math.Min(255, input[i] * 1.25);
            Assert.InRange(output[i] - expected, -0.51, 0.51);
        }
    }

    [Fact]
    public void Brightness_shift_adds_the_offset_to_every_channel_and_lifts_black()
    {
        var pixels = new byte[8 * 8 * 4];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i % 4 == 3 ? (byte)255 : (byte)(i % 7 == 0 ? 0 : 100 + i % 90);
        using var image = MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, pixels);
        var brighter = Run(image, new BrightnessShift(0.2, 0.2, 1));
        var darker = Run(image, new BrightnessShift(-0.5, -0.5, 1));
        for (int i = 0; i < pixels.Length; i++)
        {
            if (i % 4 == 3) continue;
            Assert.InRange(brighter[i] - Math.Min(255, pixels[i] + 51.0), -0.51, 0.51);
            Assert.InRange(darker[i] - Math.Max(0, pixels[i] - 127.5), -0.51, 0.51);
        }
        Assert.Contains(pixels.Where((_, i) => i % 4 != 3), v => v == 0);   // black pixels become 51
    }

    [Fact]
    public void Contrast_zero_gives_a_flat_image_at_the_mean_luma()
    {
        using var image = Colorful();
        var input = Bytes(image);
        double mean = 0;
        for (int i = 0; i < 32 * 24; i++)
            mean += 0.299 * input[i * 4 + 2] + 0.587 * input[i * 4 + 1] + 0.114 * input[i * 4];
        mean /= 32 * 24;
        var output = Run(image, new Contrast(0, 0, 1));
        for (int i = 0; i < output.Length; i++)
            if (i % 4 != 3) Assert.InRange(output[i] - mean, -0.51, 0.51);
    }

    [Fact]
    public void Saturation_zero_gives_gray_pixels_with_the_same_luma()
    {
        using var image = Colorful();
        var input = Bytes(image);
        var output = Run(image, new Saturation(0, 0, 1));
        for (int i = 0; i < 32 * 24; i++)
        {
            int o = i * 4;
            Assert.InRange(output[o] - output[o + 1], -1, 1);
            Assert.InRange(output[o + 1] - output[o + 2], -1, 1);
            double luma = 0.299 * input[o + 2] + 0.587 * input[o + 1] + 0.114 * input[o];
            Assert.InRange(output[o + 1] - luma, -1, 1);
        }
    }

    [Fact]
    public void Hue_rotation_keeps_gray_pixels_and_changes_colours()
    {
        var gray = new byte[8 * 8 * 4];
        for (int i = 0; i < gray.Length; i++) gray[i] = i % 4 == 3 ? (byte)255 : (byte)(i / 4 * 3);
        using var grayImage = MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, gray);
        Assert.Equal(gray, Run(grayImage, new Hue(90, 90, 1)));

        using var image = Colorful();
        var input = Bytes(image);
        var output = Run(image, new Hue(90, 90, 1));
        Assert.True(CountDifferentBytes(input, output) > input.Length / 2);
    }

    [Fact]
    public void Color_noise_adds_one_offset_per_channel()
    {
        var flat = new byte[16 * 16 * 4];
        for (int i = 0; i < flat.Length; i++) flat[i] = i % 4 == 3 ? (byte)255 : (byte)128;
        using var image = MLImage.CreateFromPixels(16, 16, MLPixelFormat.Bgra32, flat);
        var offsets = new List<int>();
        for (ulong seed = 0; seed < 50; seed++)
        {
            var output = Run(image, new ColorNoise(0.05, 0.05, 1), seed);
            for (int c = 0; c < 3; c++)
            {
                for (int i = 1; i < 256; i++) Assert.Equal(output[c], output[i * 4 + c]);
                offsets.Add(output[c] - 128);
            }
        }
        double std = Math.Sqrt(offsets.Average(o => (double)o * o));
        Assert.InRange(std, 0.05 * 255 * 0.7, 0.05 * 255 * 1.3);
    }

    [Fact]
    public void Gaussian_noise_has_the_requested_standard_deviation_and_zero_mean()
    {
        var flat = new byte[64 * 64 * 4];
        for (int i = 0; i < flat.Length; i++) flat[i] = i % 4 == 3 ? (byte)255 : (byte)128;
        using var image = MLImage.CreateFromPixels(64, 64, MLPixelFormat.Bgra32, flat);
        var output = Run(image, new GaussianNoise(0.04, 0.04, 1));
        var diffs = output.Where((_, i) => i % 4 != 3).Select(v => v - 128.0).ToArray();
        double mean = diffs.Average(), std = Math.Sqrt(diffs.Average(d => d * d));
        Assert.InRange(mean, -0.5, 0.5);
        Assert.InRange(std, 0.04 * 255 * 0.9, 0.04 * 255 * 1.1);
    }

    [Fact]
    public void Cutout_fills_one_rectangle_whose_area_is_in_range()
    {
        using var image = Colorful(40, 40);
        var input = Bytes(image);
        for (ulong seed = 0; seed < 30; seed++)
        {
            var plan = new AugmentationPolicy(new[] { new Cutout(0.1, 0.2, 0.5, 2, 1.0, 1) }).Sample(seed, 40, 40);
            var r = Assert.Single(plan.Cutouts);
            int area = (r.X1 - r.X0) * (r.Y1 - r.Y0);
            Assert.InRange(area, 0.1 * 1600 * 0.85, 0.2 * 1600 * 1.15);
            using var outputImage = ImageAugmenter.Execute(image, plan);
            var output = Bytes(outputImage);
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                {
                    bool inside = x >= r.X0 && x < r.X1 && y >= r.Y0 && y < r.Y1;
                    if (inside) Assert.Equal(255, At(output, 40, x, y, 1));
                    else Assert.Equal(At(input, 40, x, y, 1), At(output, 40, x, y, 1));
                }
        }
    }

    [Fact]
    public void Geometric_operations_leave_black_where_the_image_has_no_source()
    {
        using var image = Colorful(32, 32);
        var output = Run(image, new Rotate(45, 45, 1));
        Assert.Equal(0, At(output, 32, 0, 0, 0));
        Assert.Equal(0, At(output, 32, 31, 31, 1));
        Assert.NotEqual(0, At(output, 32, 16, 16, 2));
    }

    [Fact]
    public void Rgba_images_keep_their_format_and_channel_meaning()
    {
        using var bgra = Colorful();
        var b = Bytes(bgra);
        var rgba = new byte[b.Length];
        for (int i = 0; i < b.Length; i += 4) { rgba[i] = b[i + 2]; rgba[i + 1] = b[i + 1]; rgba[i + 2] = b[i]; rgba[i + 3] = 255; }
        using var rgbaImage = MLImage.CreateFromPixels(32, 24, MLPixelFormat.Rgba32, rgba);
        var op = new AugmentationPolicy(new AugmentationOperation[] { new Saturation(0.3, 0.3, 1), new Hue(40, 40, 1) });
        using var fromBgra = Execute(bgra, op, 5);
        using var fromRgba = Execute(rgbaImage, op, 5);
        Assert.Equal(MLPixelFormat.Rgba32, fromRgba.PixelFormat);
        var x = Bytes(fromBgra);
        var y = Bytes(fromRgba);
        for (int i = 0; i < x.Length; i += 4)
        {
            Assert.Equal(x[i], y[i + 2]);
            Assert.Equal(x[i + 2], y[i]);
        }
    }
}
