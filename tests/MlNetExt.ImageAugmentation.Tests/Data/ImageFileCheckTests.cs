using System.Buffers.Binary;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetExt.ImageAugmentation.Tests.Data;

/// <summary>Image files checked from their headers before decoding: decompression bombs, truncated files, every format MLImage reads.</summary>
public sealed class ImageFileCheckTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetext-imagecheck-" + Guid.NewGuid().ToString("N"));

    public ImageFileCheckTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    private string Saved(string name, int width = 32, int height = 24)
    {
        using var image = TestImages.Colorful(width, height);
        image.Save(File(name));
        return File(name);
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>PNG's CRC-32 (polynomial 0xEDB88320), so that decoders accept the hand-made chunks.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The decompression bomb of issue 14: a complete, tiny PNG whose IHDR claims <paramref name="side"/> x <paramref name="side"/> RGBA pixels.</summary>
    internal static byte[] BombPng(uint side)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // RGBA
        byte[] idat = { 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 }; // an empty zlib stream
        return new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }
            .Concat(Chunk("IHDR", ihdr)).Concat(Chunk("IDAT", idat)).Concat(Chunk("IEND", Array.Empty<byte>())).ToArray();
    }

    [Fact]
    public void Png_bomb_is_refused_from_its_header_naming_the_file()
    {
        var path = File("bomb.png");
        System.IO.File.WriteAllBytes(path, BombPng(25_000));

        var ex = Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(path));

        Assert.True(new FileInfo(path).Length < 100);
        Assert.Contains("bomb.png", ex.Message);
        Assert.Contains("25,000 x 25,000", ex.Message);
        Assert.Contains("MaxPixels", ex.Message);
    }

    [Theory]
    [InlineData("photo.png")]
    [InlineData("photo.jpg")]
    public void Saved_png_and_jpeg_headers_give_the_decoded_size(string name)
    {
        var path = Saved(name, 37, 21);

        var info = ImageFileCheck.Check(path);
        using var decoded = MLImage.CreateFromFile(path);

        Assert.Equal((decoded.Width, decoded.Height), (info.Width, info.Height));
        Assert.Equal((37, 21), (info.Width, info.Height));
        Assert.Equal(name.EndsWith(".png", StringComparison.Ordinal) ? "PNG" : "JPEG", info.Format);
    }

    [Theory]
    [InlineData("photo.png", 0.5)]
    [InlineData("photo.png", 0.95)]
    [InlineData("photo.jpg", 0.6)]
    [InlineData("photo.jpg", 0.98)]
    public void Truncated_file_is_refused_naming_the_file(string name, double keep)
    {
        var bytes = System.IO.File.ReadAllBytes(Saved(name, 64, 48));
        var path = File("cut-" + name);
        System.IO.File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);

        var ex = Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(path));

        Assert.Contains("cut-" + name, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Equal(64, ImageFileCheck.ReadHeader(path).Width); // the header alone is still readable
    }

    /// <summary>A 2 x 3 24-bit BMP (BITMAPINFOHEADER), complete.</summary>
    private static byte[] Bmp(int width, int height)
    {
        int row = (24 * width + 31) / 32 * 4;
        var file = new byte[54 + row * height];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        return file;
    }

    private static readonly byte[] OnePixelGif =
    {
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
        0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
        0x02, 0x44, 0x01, 0x00, 0x3B,
    };

    [Fact]
    public void Bmp_and_gif_headers_match_what_MLImage_decodes_and_truncation_is_caught()
    {
        foreach (var (name, bytes, size) in new[] { ("a.bmp", Bmp(5, 3), (5, 3)), ("a.gif", OnePixelGif, (1, 1)) })
        {
            var path = File(name);
            System.IO.File.WriteAllBytes(path, bytes);
            var cut = File("cut-" + name);
            System.IO.File.WriteAllBytes(cut, bytes[..^2]);

            var info = ImageFileCheck.Check(path);
            using var decoded = MLImage.CreateFromFile(path);

            Assert.Equal(size, (info.Width, info.Height));
            Assert.Equal((decoded.Width, decoded.Height), (info.Width, info.Height));
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(cut)).Message);
        }
    }

    /// <summary>A WebP file of one chunk; its payload is only as much of a bitstream as the header reader needs.</summary>
    private static byte[] WebP(string chunk, byte[] payload)
    {
        var file = new byte[20 + payload.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        "WEBP"u8.CopyTo(file.AsSpan(8));
        System.Text.Encoding.ASCII.GetBytes(chunk).CopyTo(file, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), (uint)payload.Length);
        payload.CopyTo(file, 20);
        return file;
    }

    [Fact]
    public void WebP_headers_of_each_kind_give_their_size_and_a_huge_canvas_is_refused()
    {
        uint vp8lBits = (uint)(300 - 1) | ((uint)(200 - 1) << 14);
        var vp8l = new byte[] { 0x2F }.Concat(BitConverter.GetBytes(vp8lBits)).Concat(new byte[3]).ToArray();
        var vp8 = new byte[] { 0, 0, 0, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00 }; // 320 x 240
        var vp8x = new byte[] { 0, 0, 0, 0, 0x7F, 0x61, 0x00, 0x7F, 0x61, 0x00 }; // canvas 24,960 x 24,960

        System.IO.File.WriteAllBytes(File("l.webp"), WebP("VP8L", vp8l));
        System.IO.File.WriteAllBytes(File("v.webp"), WebP("VP8 ", vp8));
        System.IO.File.WriteAllBytes(File("x.webp"), WebP("VP8X", vp8x));

        Assert.Equal((300, 200), (ImageFileCheck.ReadHeader(File("l.webp")).Width, ImageFileCheck.ReadHeader(File("l.webp")).Height));
        Assert.Equal((320, 240), (ImageFileCheck.ReadHeader(File("v.webp")).Width, ImageFileCheck.ReadHeader(File("v.webp")).Height));
        Assert.Contains("x.webp", Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(File("x.webp"))).Message);
    }

    [Fact]
    public void Pixel_limit_is_configurable_and_other_files_are_not_images()
    {
        var path = Saved("small.png", 32, 24);
        System.IO.File.WriteAllText(File("notes.png"), "not an image");

        Assert.Equal(768, ImageFileCheck.Check(path).Pixels);
        Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(path, new ImageFileLimits { MaxPixels = 767 }));
        Assert.Contains("notes.png", Assert.Throws<InvalidDataException>(() => ImageFileCheck.Check(File("notes.png"))).Message);
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private IDataView Paths(MLContext ml, params string[] names) =>
        ml.Data.LoadFromEnumerable(names.Select(n => new PathRow { Path = n }).ToList());

    [Fact]
    public void CheckImageFiles_stops_LoadImages_before_it_decodes_a_bomb()
    {
        var ml = new MLContext(1);
        Saved("good.png");
        System.IO.File.WriteAllBytes(File("bomb.png"), BombPng(25_000));
        var data = ml.Data.CheckImageFiles(Paths(ml, "good.png", "bomb.png"), "Path", _folder);
        var images = ml.Transforms.LoadImages("Image", _folder, "Path").Fit(data).Transform(data);

        var ex = Assert.Throws<InvalidDataException>(() => images.GetColumn<MLImage>("Image").ToList());

        Assert.Contains(File("bomb.png"), ex.Message);
        Assert.Contains("it was not decoded", ex.Message);
    }

    [Fact]
    public void CheckImageFiles_passes_good_files_through_unchanged()
    {
        var ml = new MLContext(1);
        Saved("a.png", 20, 10);
        Saved("b.jpg", 16, 16);
        var raw = Paths(ml, "a.png", "b.jpg");
        var loader = ml.Transforms.LoadImages("Image", _folder, "Path").Fit(raw);

        var plain = loader.Transform(raw).GetColumn<MLImage>("Image").Select(i => i.Pixels.ToArray()).ToList();
        var checkedImages = loader.Transform(ml.Data.CheckImageFiles(raw, "Path", _folder)).GetColumn<MLImage>("Image").Select(i => i.Pixels.ToArray()).ToList();

        Assert.Equal(plain, checkedImages);
    }

    [Fact]
    public void Plain_LoadImages_decodes_a_truncated_png_without_error()
    {
        // What ML.NET 5.0.1 does on its own (documented in docs/hostile-inputs.md): no error, the missing rows come out blank.
        var ml = new MLContext(1);
        var bytes = System.IO.File.ReadAllBytes(Saved("whole.png", 64, 48));
        System.IO.File.WriteAllBytes(File("half.png"), bytes[..(bytes.Length / 2)]);
        var data = Paths(ml, "half.png");

        var size = ml.Transforms.LoadImages("Image", _folder, "Path").Fit(data).Transform(data)
            .GetColumn<MLImage>("Image").Select(i => (i.Width, i.Height)).Single();

        Assert.Equal((64, 48), size);
        Assert.Throws<InvalidDataException>(() => ml.Data.CheckImageFiles(data, "Path", _folder).GetColumn<string>("Path").ToList());
    }
}
