using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MlNetExt.Samples.Data;

/// <summary>
/// The Fashion-MNIST subset shipped in data/fashion-mnist-subset (300 train + 100 test images per class,
/// 28x28 grayscale, see its README). Shared by samples and tests (link this file into the project).
/// </summary>
public sealed class FashionMnistSubset
{
    public const int ImageSize = 28;

    public static IReadOnlyList<string> ClassNames { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    private FashionMnistSubset(byte[][] images, byte[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>Images, each 28*28 bytes, row-major, 0 = background.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>Class index 0..9 of each image.</summary>
    public IReadOnlyList<byte> Labels { get; }

    public int Count => Labels.Count;

    /// <summary>The 3,000 training images.</summary>
    public static FashionMnistSubset LoadTrain(string? dataDirectory = null) => Load("train", dataDirectory);

    /// <summary>The 1,000 test images.</summary>
    public static FashionMnistSubset LoadTest(string? dataDirectory = null) => Load("t10k", dataDirectory);

    /// <summary>data/fashion-mnist-subset, found by walking up from the program's folder to the folder holding MlNetExt.sln.</summary>
    public static string FindDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetExt.sln")))
                return Path.Combine(dir.FullName, "data", "fashion-mnist-subset");
        }
        throw new DirectoryNotFoundException($"No MlNetExt.sln above {AppContext.BaseDirectory}; cannot find data/fashion-mnist-subset.");
    }

    /// <summary>The first <paramref name="perClass"/> images of each class, in their original order.</summary>
    public FashionMnistSubset TakePerClass(int perClass)
    {
        var taken = new int[ClassNames.Count];
        var images = new List<byte[]>();
        var labels = new List<byte>();
        for (int i = 0; i < Count; i++)
        {
            if (taken[Labels[i]]++ < perClass)
            {
                images.Add(Images[i]);
                labels.Add(Labels[i]);
            }
        }
        return new FashionMnistSubset(images.ToArray(), labels.ToArray());
    }

    /// <summary>Everything except the first <paramref name="perClass"/> images of each class.</summary>
    public FashionMnistSubset SkipPerClass(int perClass)
    {
        var seen = new int[ClassNames.Count];
        var images = new List<byte[]>();
        var labels = new List<byte>();
        for (int i = 0; i < Count; i++)
        {
            if (seen[Labels[i]]++ >= perClass)
            {
                images.Add(Images[i]);
                labels.Add(Labels[i]);
            }
        }
        return new FashionMnistSubset(images.ToArray(), labels.ToArray());
    }

    /// <summary>A gray image as a BGRA32 MLImage (gray replicated into B, G and R; opaque).</summary>
    public static MLImage ToMLImage(byte[] gray)
    {
        var bgra = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            bgra[i * 4] = bgra[i * 4 + 1] = bgra[i * 4 + 2] = gray[i];
            bgra[i * 4 + 3] = 255;
        }
        return MLImage.CreateFromPixels(ImageSize, ImageSize, MLPixelFormat.Bgra32, bgra);
    }

    public MLImage ToMLImage(int index) => ToMLImage(Images[index]);

    /// <summary>Rows {Image: MLImage 28x28, Label: class name, LabelIndex: class index 0..9}.</summary>
    public IEnumerable<FashionMnistRow> Rows() =>
        Enumerable.Range(0, Count).Select(i => new FashionMnistRow
        {
            Image = ToMLImage(i),
            Label = ClassNames[Labels[i]],
            LabelIndex = Labels[i],
        });

    /// <summary>
    /// The subset as an IDataView with a known row count. Every read of a row creates a fresh MLImage, because
    /// ML.NET's image transforms dispose the images they are handed; shared MLImage objects would be dead
    /// after the first pass.
    /// </summary>
    public IDataView ToDataView(MLContext mlContext) => mlContext.Data.LoadFromEnumerable(new FreshRowList(this));

    /// <summary>A read-only list whose indexer builds a new row (and image) on every access.</summary>
    private sealed class FreshRowList(FashionMnistSubset data) : IList<FashionMnistRow>
    {
        public FashionMnistRow this[int index]
        {
            get => new() { Image = data.ToMLImage(index), Label = ClassNames[data.Labels[index]], LabelIndex = data.Labels[index] };
            set => throw new NotSupportedException();
        }

        public int Count => data.Count;
        public bool IsReadOnly => true;
        public IEnumerator<FashionMnistRow> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public int IndexOf(FashionMnistRow item) => throw new NotSupportedException();
        public void Insert(int index, FashionMnistRow item) => throw new NotSupportedException();
        public void RemoveAt(int index) => throw new NotSupportedException();
        public void Add(FashionMnistRow item) => throw new NotSupportedException();
        public void Clear() => throw new NotSupportedException();
        public bool Contains(FashionMnistRow item) => throw new NotSupportedException();
        public void CopyTo(FashionMnistRow[] array, int arrayIndex)
        {
            for (int i = 0; i < Count; i++) array[arrayIndex + i] = this[i];
        }

        public bool Remove(FashionMnistRow item) => throw new NotSupportedException();
    }

    private static FashionMnistSubset Load(string split, string? dataDirectory)
    {
        string dir = dataDirectory ?? FindDataDirectory();
        var (imageDims, pixels) = ReadIdx(Path.Combine(dir, $"{split}-images-idx3-ubyte.gz"));
        var (labelDims, labels) = ReadIdx(Path.Combine(dir, $"{split}-labels-idx1-ubyte.gz"));
        if (imageDims.Length != 3 || imageDims[1] != ImageSize || imageDims[2] != ImageSize || labelDims[0] != imageDims[0])
            throw new InvalidDataException($"Unexpected IDX shapes in {dir}: images [{string.Join(",", imageDims)}], labels [{string.Join(",", labelDims)}].");
        int size = ImageSize * ImageSize;
        var images = new byte[imageDims[0]][];
        for (int i = 0; i < images.Length; i++) images[i] = pixels.AsSpan(i * size, size).ToArray();
        return new FashionMnistSubset(images, labels);
    }

    private static (int[] Dims, byte[] Data) ReadIdx(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        var bytes = memory.ToArray();
        int ndim = bytes[3];
        var dims = new int[ndim];
        for (int d = 0; d < ndim; d++)
            dims[d] = (bytes[4 + 4 * d] << 24) | (bytes[5 + 4 * d] << 16) | (bytes[6 + 4 * d] << 8) | bytes[7 + 4 * d];
        return (dims, bytes[(4 + 4 * ndim)..]);
    }
}

/// <summary>One Fashion-MNIST row as an ML.NET input.</summary>
public sealed class FashionMnistRow
{
    [ImageType(FashionMnistSubset.ImageSize, FashionMnistSubset.ImageSize)]
    public MLImage Image { get; set; } = null!;

    public string Label { get; set; } = "";

    public uint LabelIndex { get; set; }
}
