using System.Buffers.Binary;
using System.Globalization;

namespace MlNetExt.ImageAugmentation;

/// <summary>
/// Checks an image file before it is decoded: reads its dimensions from the header (PNG IHDR, JPEG SOF, BMP, GIF
/// logical screen, WebP VP8/VP8L/VP8X) without decoding pixels, refuses images larger than
/// <see cref="ImageFileLimits.MaxPixels"/> (decompression bombs: a 71-byte PNG can claim 25,000 x 25,000 pixels,
/// which a decoder allocates), and refuses truncated files, which decoders accept silently. Formats are recognised
/// by content, not by extension. Thread-safe.
/// </summary>
public static class ImageFileCheck
{
    private static readonly byte[] PngSignature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>
    /// Reads the header of <paramref name="path"/> and checks it against <paramref name="limits"/> (default
    /// <see cref="ImageFileLimits"/>); returns what the header says.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a PNG, JPEG, BMP, GIF or WebP file, a corrupt header, too many pixels, or a truncated file; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ImageFileInfo Check(string path, ImageFileLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= new ImageFileLimits();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var info = Inspect(stream, path, limits.RejectTruncated);
        if (info.Pixels > limits.MaxPixels)
        {
            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture,
                "'{0}' is a {1} image of {2:N0} x {3:N0} = {4:N0} pixels, more than the limit of {5:N0} (ImageFileLimits.MaxPixels); it was not decoded.",
                path, info.Format, info.Width, info.Height, info.Pixels, limits.MaxPixels));
        }

        return info;
    }

    /// <summary>Reads the header of <paramref name="path"/> without applying any limit or completeness check.</summary>
    /// <exception cref="InvalidDataException">Not a PNG, JPEG, BMP, GIF or WebP file, or a corrupt header; the message names the file.</exception>
    public static ImageFileInfo ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Inspect(stream, path, checkComplete: false);
    }

    private static ImageFileInfo Inspect(Stream stream, string path, bool checkComplete)
    {
        Span<byte> head = stackalloc byte[12];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        stream.Position = 0;
        var reader = new Reader(stream, path);
        if (head.StartsWith(PngSignature))
        {
            return Png(reader, checkComplete);
        }

        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return Jpeg(reader, checkComplete);
        }

        if (head.Length >= 2 && head[0] == 'B' && head[1] == 'M')
        {
            return Bmp(reader, checkComplete);
        }

        if (head.Length >= 6 && head[..3].SequenceEqual("GIF"u8) && (head[3..6].SequenceEqual("87a"u8) || head[3..6].SequenceEqual("89a"u8)))
        {
            return Gif(reader, checkComplete);
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP(reader, checkComplete);
        }

        throw new InvalidDataException(
            $"'{path}' is not a PNG, JPEG, BMP, GIF or WebP image ({(read == 0 ? "the file is empty" : "unknown signature")}).");
    }

    private static ImageFileInfo Png(Reader r, bool checkComplete)
    {
        r.Skip(8);
        uint length = r.UInt32BE();
        if (r.Ascii(4) != "IHDR" || length != 13)
        {
            throw r.Corrupt("its first PNG chunk is not a 13-byte IHDR");
        }

        var info = Dimensions(r, "PNG", r.UInt32BE(), r.UInt32BE());
        if (!checkComplete)
        {
            return info;
        }

        r.Skip(5 + 4); // rest of IHDR, CRC
        bool sawData = false;
        while (true)
        {
            if (r.Remaining < 12)
            {
                throw r.Truncated("it ends before the PNG IEND chunk");
            }

            long chunk = r.UInt32BE();
            string type = r.Ascii(4);
            if (chunk > r.Remaining - 4)
            {
                throw r.Truncated($"its PNG chunk '{type}' needs {chunk} bytes but only {Math.Max(0, r.Remaining - 4)} remain");
            }

            sawData |= type == "IDAT";
            if (type == "IEND")
            {
                return sawData ? info : throw r.Corrupt("it has no PNG image data (IDAT)");
            }

            r.Skip(chunk + 4);
        }
    }

    private static ImageFileInfo Jpeg(Reader r, bool checkComplete)
    {
        r.Skip(2);
        ImageFileInfo? info = null;
        while (true)
        {
            if (r.Remaining < 2)
            {
                throw info is null ? r.Corrupt("it ends before its JPEG frame header (SOF)") : r.Truncated("it ends before its JPEG image data");
            }

            if (r.Byte() != 0xFF)
            {
                throw r.Corrupt("a JPEG marker is missing");
            }

            int marker = r.Byte();
            while (marker == 0xFF)
            {
                marker = r.Byte();
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            if (marker == 0xD9)
            {
                throw r.Truncated("its JPEG ends before any image data");
            }

            int length = r.UInt16BE();
            if (length < 2 || length - 2 > r.Remaining)
            {
                throw r.Truncated($"its JPEG segment 0x{marker:X2} needs {length} bytes");
            }

            bool isFrame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (isFrame && info is null)
            {
                r.Skip(1); // precision
                int height = r.UInt16BE();
                int width = r.UInt16BE();
                info = Dimensions(r, "JPEG", (uint)width, (uint)height);
                r.Skip(length - 7);
            }
            else if (marker == 0xDA)
            {
                if (info is null)
                {
                    throw r.Corrupt("its JPEG scan starts before any frame header (SOF)");
                }

                if (!checkComplete)
                {
                    return info;
                }

                r.Skip(length - 2);
                // Entropy-coded data never contains FF D9 (a data FF is followed by 00 or a restart marker), so the
                // end-of-image marker after the first scan shows the file is complete. Data after it (for example a
                // motion photo's video) is allowed.
                return r.FindEndOfImage() ? info : throw r.Truncated("its JPEG image data ends without the end-of-image marker (FF D9)");
            }
            else
            {
                r.Skip(length - 2);
            }
        }
    }

    private static ImageFileInfo Bmp(Reader r, bool checkComplete)
    {
        if (r.Remaining < 26)
        {
            throw r.Truncated("its BMP header is incomplete");
        }

        r.Skip(10);
        uint pixelOffset = r.UInt32LE();
        uint headerSize = r.UInt32LE();
        long width, height;
        int bitsPerPixel;
        uint compression = 0;
        if (headerSize == 12)
        {
            width = r.UInt16LE();
            height = r.UInt16LE();
            r.Skip(2);
            bitsPerPixel = r.UInt16LE();
        }
        else if (headerSize >= 40)
        {
            width = r.Int32LE();
            height = Math.Abs((long)r.Int32LE()); // negative: rows stored top-down
            r.Skip(2);
            bitsPerPixel = r.UInt16LE();
            compression = r.UInt32LE();
        }
        else
        {
            throw r.Corrupt($"its BMP info header has an unknown size ({headerSize})");
        }

        if (width <= 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw r.Corrupt($"its BMP size {width} x {height} is impossible");
        }

        var info = Dimensions(r, "BMP", (uint)width, (uint)height);
        if (checkComplete)
        {
            long needed = pixelOffset + 1;
            if (compression is 0 or 3 or 6 && bitsPerPixel is > 0 and <= 64)
            {
                long rowBytes = ((bitsPerPixel * width) + 31) / 32 * 4;
                needed = pixelOffset + (rowBytes * height);
            }

            if (r.Length < needed)
            {
                throw r.Truncated($"its BMP pixel data needs {needed} bytes, the file has {r.Length}");
            }
        }

        return info;
    }

    private static ImageFileInfo Gif(Reader r, bool checkComplete)
    {
        r.Skip(6);
        var info = Dimensions(r, "GIF", (uint)r.UInt16LE(), (uint)r.UInt16LE());
        if (!checkComplete)
        {
            return info;
        }

        int flags = r.Byte();
        r.Skip(2);
        if ((flags & 0x80) != 0)
        {
            r.Skip(3 << ((flags & 7) + 1));
        }

        while (true)
        {
            if (r.Remaining < 1)
            {
                throw r.Truncated("it ends before the GIF trailer");
            }

            int block = r.Byte();
            switch (block)
            {
                case 0x3B:
                    return info;
                case 0x21:
                    r.Skip(1);
                    r.SkipSubBlocks();
                    break;
                case 0x2C:
                {
                    r.Skip(4);
                    int frameWidth = r.UInt16LE();
                    int frameHeight = r.UInt16LE();
                    Dimensions(r, "GIF", (uint)frameWidth, (uint)frameHeight, allowEmpty: true);
                    int local = r.Byte();
                    if ((local & 0x80) != 0)
                    {
                        r.Skip(3 << ((local & 7) + 1));
                    }

                    r.Skip(1); // LZW minimum code size
                    r.SkipSubBlocks();
                    break;
                }

                default:
                    throw r.Corrupt($"it has an unknown GIF block 0x{block:X2}");
            }
        }
    }

    private static ImageFileInfo WebP(Reader r, bool checkComplete)
    {
        r.Skip(4);
        long riffSize = r.UInt32LE();
        r.Skip(4);
        if (checkComplete && r.Length < riffSize + 8)
        {
            throw r.Truncated($"its RIFF container declares {riffSize + 8} bytes, the file has {r.Length}");
        }

        if (r.Remaining < 8)
        {
            throw r.Truncated("its WebP header is incomplete");
        }

        string chunk = r.Ascii(4);
        r.Skip(4);
        switch (chunk)
        {
            case "VP8 ":
            {
                r.Skip(3);
                if (r.Byte() != 0x9D || r.Byte() != 0x01 || r.Byte() != 0x2A)
                {
                    throw r.Corrupt("its VP8 frame has no start code");
                }

                int width = r.UInt16LE() & 0x3FFF;
                int height = r.UInt16LE() & 0x3FFF;
                return Dimensions(r, "WebP", (uint)width, (uint)height);
            }

            case "VP8L":
            {
                if (r.Byte() != 0x2F)
                {
                    throw r.Corrupt("its VP8L bitstream has no signature");
                }

                uint bits = r.UInt32LE();
                return Dimensions(r, "WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
            }

            case "VP8X":
            {
                r.Skip(4);
                uint width = r.UInt24LE() + 1;
                uint height = r.UInt24LE() + 1;
                return Dimensions(r, "WebP", width, height);
            }

            default:
                throw r.Corrupt($"its first WebP chunk '{chunk}' is unknown");
        }
    }

    private static ImageFileInfo Dimensions(Reader r, string format, uint width, uint height, bool allowEmpty = false)
    {
        if (!allowEmpty && (width == 0 || height == 0))
        {
            throw r.Corrupt($"its {format} header gives a size of {width} x {height}");
        }

        if (width > int.MaxValue || height > int.MaxValue)
        {
            throw r.Corrupt($"its {format} header gives an impossible size of {width} x {height}");
        }

        return new ImageFileInfo(format, (int)width, (int)height);
    }

    /// <summary>Bounds-checked reads that turn the end of the file into "truncated" errors naming the file.</summary>
    private sealed class Reader
    {
        private readonly Stream _stream;
        private readonly string _path;

        public Reader(Stream stream, string path)
        {
            _stream = stream;
            _path = path;
            Length = stream.Length;
        }

        public long Length { get; }

        public long Remaining => Length - _stream.Position;

        public int Byte()
        {
            int b = _stream.ReadByte();
            return b >= 0 ? b : throw Truncated("it ends inside its header");
        }

        public void Skip(long count)
        {
            if (count > Remaining)
            {
                throw Truncated("it ends inside a header or block");
            }

            _stream.Seek(count, SeekOrigin.Current);
        }

        public uint UInt32BE() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

        public uint UInt32LE() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32LE() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public int UInt16BE() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

        public int UInt16LE() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt24LE()
        {
            var b = Bytes(3);
            return (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
        }

        public string Ascii(int count) => System.Text.Encoding.ASCII.GetString(Bytes(count));

        public void SkipSubBlocks()
        {
            int size;
            while ((size = Byte()) != 0)
            {
                Skip(size);
            }
        }

        /// <summary>Scans forward for the JPEG end-of-image marker FF D9.</summary>
        public bool FindEndOfImage()
        {
            var buffer = new byte[1 << 16];
            bool previousFF = false;
            int read;
            while ((read = _stream.Read(buffer)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    if (previousFF && buffer[i] == 0xD9)
                    {
                        return true;
                    }

                    previousFF = buffer[i] == 0xFF;
                }
            }

            return false;
        }

        public InvalidDataException Truncated(string why) => new($"'{_path}' is truncated: {why}.");

        public InvalidDataException Corrupt(string why) => new($"'{_path}' is not a valid image: {why}.");

        private byte[] Bytes(int count)
        {
            var buffer = new byte[count];
            if (_stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false) < count)
            {
                throw Truncated("it ends inside its header");
            }

            return buffer;
        }
    }
}
