using MlNetExt.Core.Torch;
using MlNetExt.ImageAugmentation.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.ImageAugmentation;

/// <summary>
/// Applies an <see cref="AugmentationPolicy"/> to whole batches of image tensors on their own device, for
/// the TorchSharp trainers: fresh randomness every epoch and batch, one <c>affine_grid</c> +
/// <c>grid_sample</c> for all geometric operations, tensor arithmetic for the photometric ones.
/// Parameters mean the same as in the <c>MLImage</c> path (<see cref="ImageAugmenter"/>); for deterministic
/// settings both paths agree within 1/255 away from the borders.
/// </summary>
/// <remarks>
/// <para>Input: float32 <c>[N, C, H, W]</c>, C = 1 (gray) or 3 (RGB, in that order), values in [0, 1];
/// or normalised values <c>(x - mean) / std</c> when the constructor got <c>mean</c> and <c>std</c>
/// (they are undone before and redone after augmenting). The output has the same shape, device and
/// normalisation; values are clamped to [0, 1] before normalising.</para>
/// <para>Random draws depend only on (seed, epoch, batch index, position in batch), never on the device.
/// Gaussian noise uses <c>torch.randn</c> with a generator seeded the same way. For gray input, saturation
/// and hue have no effect and a colour cast acts through its luma.</para>
/// <para>Not thread-safe: <see cref="Apply(Tensor, int, Tensor?)"/> counts batches within an epoch.</para>
/// </remarks>
public sealed class BatchAugmenter
{
    private readonly ClassAugmentationPolicy _policy;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly ulong _seed;
    private readonly float[]? _mean;
    private readonly float[]? _std;
    private int _epoch = int.MinValue;
    private int _batchInEpoch;
    private float[]? _grid;

    /// <summary>Creates an augmenter for one policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="seed">Seed of every random draw.</param>
    /// <param name="mean">Per-channel mean used to normalise the batches, or null when they hold values in [0, 1].</param>
    /// <param name="std">Per-channel standard deviation used to normalise the batches (with <paramref name="mean"/>).</param>
    public BatchAugmenter(AugmentationPolicy policy, int seed, float[]? mean = null, float[]? std = null)
        : this(new ClassAugmentationPolicy(policy ?? throw new ArgumentNullException(nameof(policy))), null, seed, mean, std) { }

    /// <summary>Creates an augmenter with class-dependent policies.</summary>
    /// <param name="policy">The class-dependent policy.</param>
    /// <param name="classNames">Label value of each class index (labels passed to Apply are indices into this list);
    /// null: class indices are matched as their decimal text.</param>
    /// <param name="seed">Seed of every random draw.</param>
    /// <param name="mean">Per-channel mean used to normalise the batches, or null.</param>
    /// <param name="std">Per-channel standard deviation used to normalise the batches, or null.</param>
    public BatchAugmenter(ClassAugmentationPolicy policy, IReadOnlyList<string>? classNames, int seed, float[]? mean = null, float[]? std = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _classNames = classNames;
        _seed = (ulong)(uint)seed;
        if ((mean is null) != (std is null))
            throw new ArgumentException("Give both mean and std, or neither.", mean is null ? nameof(mean) : nameof(std));
        if (std is not null && std.Any(s => !(s > 0)))
            throw new ArgumentOutOfRangeException(nameof(std), "Every std value must be > 0.");
        if (mean is not null && mean.Length != std!.Length)
            throw new ArgumentException($"mean has {mean.Length} values but std has {std.Length}.", nameof(std));
        _mean = mean;
        _std = std;
    }

    /// <summary>
    /// Augments the next batch of <paramref name="epoch"/> (batches are counted from 0 within each epoch;
    /// a new epoch number restarts the count).
    /// </summary>
    /// <param name="batch">float32 [N, C, H, W], see the class remarks.</param>
    /// <param name="epoch">The epoch; each epoch draws fresh parameters.</param>
    /// <param name="labels">Optional int64 [N] class indices, for class-dependent policies.</param>
    public Tensor Apply(Tensor batch, int epoch, Tensor? labels = null)
    {
        if (epoch != _epoch)
        {
            _epoch = epoch;
            _batchInEpoch = 0;
        }
        return Apply(batch, epoch, _batchInEpoch++, labels);
    }

    /// <summary>Augments a batch with an explicit batch index (stateless).</summary>
    /// <param name="batch">float32 [N, C, H, W], see the class remarks.</param>
    /// <param name="epoch">The epoch.</param>
    /// <param name="batchIndex">The batch's index within the epoch.</param>
    /// <param name="labels">Optional int64 [N] class indices, for class-dependent policies.</param>
    public Tensor Apply(Tensor batch, int epoch, int batchIndex, Tensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4)
            throw new ArgumentException($"The batch must be [N, C, H, W]; got shape [{string.Join(", ", batch.shape)}].", nameof(batch));
        if (batch.dtype != ScalarType.Float32)
            throw new ArgumentException($"The batch must be float32; got {batch.dtype}.", nameof(batch));
        long n = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        if (c != 1 && c != 3)
            throw new ArgumentException($"The batch must have 1 or 3 channels; got {c}.", nameof(batch));
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"The batch's images have zero size ({w}x{h}).", nameof(batch));
        if (_mean is not null && _mean.Length != c)
            throw new ArgumentException($"mean/std have {_mean.Length} values but the batch has {c} channels.", nameof(batch));
        long[]? labelValues = null;
        if (labels is not null)
        {
            if (labels.dim() != 1 || labels.shape[0] != n)
                throw new ArgumentException($"labels must be [N] = [{n}]; got [{string.Join(", ", labels.shape)}].", nameof(labels));
            using var cpuLabels = labels.to_type(ScalarType.Int64).cpu();
            labelValues = cpuLabels.data<long>().ToArray();
        }

        ulong batchSeed = DeterministicRandom.Mix(_seed, (ulong)(uint)epoch, (ulong)(uint)batchIndex, 0xBA7C);
        var plans = new AugmentationPlan[n];
        for (int i = 0; i < n; i++)
        {
            var policy = labelValues is null ? _policy.DefaultPolicy : _policy.For(ClassName(labelValues[i]));
            plans[i] = policy.Sample(DeterministicRandom.Mix(batchSeed, (ulong)i), (int)w, (int)h);
        }
        if (n == 0) return batch.alias();

        using var scope = NewDisposeScope();
        // Numbers reach libtorch only through ExplicitScalarMath (see docs/torchsharp-rules.md).
        var device = batch.device;
        Tensor x = batch;
        bool owned = false; // x is a fresh tensor of ours that may be changed in place
        if (_mean is not null)
        {
            x = (x * tensor(_std!, device: device).view(1, c, 1, 1)).PlusInPlace(tensor(_mean, device: device).view(1, c, 1, 1));
            owned = true;
        }
        Tensor input = x;

        if (plans.Any(p => p.HasGeometry))
        {
            x = Warp(x, plans, device);
            owned = true;
        }
        if (plans.Any(p => p.HasColorTransform))
        {
            x = Recolor(x, input, plans, device);
            owned = true;
        }
        if (plans.Any(p => p.NoiseStd > 0))
        {
            var std = tensor(plans.Select(p => (float)p.NoiseStd).ToArray(), device: device).view(n, 1, 1, 1);
            using var generator = new Generator(batchSeed, device);
            var noise = randn(new[] { n, c, h, w }, ScalarType.Float32, device, generator: generator).mul_(std);
            x = owned ? x.PlusInPlace(noise) : x.Plus(noise);
            owned = true;
        }
        x = owned ? x.ClampedToInPlace(0, 1) : x.ClampedTo(0, 1);
        foreach (var (plan, i) in plans.Select((p, i) => (p, i)))
            foreach (var r in plan.Cutouts)
                x[i, TensorIndex.Ellipsis, TensorIndex.Slice(r.Y0, r.Y1), TensorIndex.Slice(r.X0, r.X1)].FillInPlace((float)r.Fill);
        if (_mean is not null)
            x = x.sub_(tensor(_mean, device: device).view(1, c, 1, 1)).div_(tensor(_std!, device: device).view(1, c, 1, 1));
        return x.MoveToOuterDisposeScope();
    }

    private string ClassName(long index) =>
        _classNames is not null && index >= 0 && index < _classNames.Count
            ? _classNames[(int)index]
            : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One affine_grid + grid_sample for the whole batch (align_corners = false, zeros padding).</summary>
    private Tensor Warp(Tensor x, AugmentationPlan[] plans, Device device)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var theta = new float[n * 6];
        for (int i = 0; i < n; i++)
        {
            var a = plans[i].Inverse;
            // centred pixel coordinates -> normalised: x_n = x_c / (w / 2), y_n = y_c / (h / 2)
            theta[i * 6 + 0] = (float)a[0];
            theta[i * 6 + 1] = (float)(a[1] * h / w);
            theta[i * 6 + 2] = (float)(a[2] * 2 / w);
            theta[i * 6 + 3] = (float)(a[3] * w / h);
            theta[i * 6 + 4] = (float)a[4];
            theta[i * 6 + 5] = (float)(a[5] * 2 / h);
        }
        if (device.type != DeviceType.CPU)
        {
            var deviceGrid = nn.functional.affine_grid(tensor(theta, new long[] { n, 2, 3 }, device: device), x.shape, align_corners: false);
            return nn.functional.grid_sample(x, deviceGrid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        }
        // CPU: the grid is written into a reused array that a tensor borrows (pinned) until grid_sample is done.
        long length = n * h * w * 2;
        if (_grid is null || _grid.LongLength < length) _grid = new float[length];
        FillSamplingGrid(_grid, theta, n, h, w);
        using var flat = frombuffer(_grid, ScalarType.Float32, count: length);
        using var grid = flat.view(n, h, w, 2);
        return nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>
    /// What affine_grid(theta, align_corners: false) computes, in one managed pass (several times faster
    /// than affine_grid on the CPU): grid[n, i, j] = theta[n] * ((2j + 1) / w - 1, (2i + 1) / h - 1, 1).
    /// </summary>
    internal static Tensor SamplingGrid(float[] theta, long n, long h, long w)
    {
        var grid = new float[n * h * w * 2];
        FillSamplingGrid(grid, theta, n, h, w);
        return tensor(grid, new[] { n, h, w, 2 });
    }

    private static unsafe void FillSamplingGrid(float[] grid, float[] theta, long n, long h, long w)
    {
        var xs = new float[w];
        for (long j = 0; j < w; j++) xs[j] = (2f * j + 1) / w - 1;
        fixed (float* start = grid)
        fixed (float* px = xs)
        {
            float* g = start;
            for (long b = 0; b < n; b++)
            {
                float t0 = theta[b * 6], t1 = theta[b * 6 + 1], t2 = theta[b * 6 + 2];
                float t3 = theta[b * 6 + 3], t4 = theta[b * 6 + 4], t5 = theta[b * 6 + 5];
                for (long i = 0; i < h; i++)
                {
                    float yn = (2f * i + 1) / h - 1;
                    float bx = t1 * yn + t2, by = t4 * yn + t5;
                    for (long j = 0; j < w; j++, g += 2)
                    {
                        g[0] = t0 * px[j] + bx;
                        g[1] = t3 * px[j] + by;
                    }
                }
            }
        }
    }

    /// <summary>Per-image 3x4 colour matrix; contrast pivots on the mean luma of the (un-warped) input.</summary>
    private static Tensor Recolor(Tensor x, Tensor input, AugmentationPlan[] plans, Device device)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        double[] means = new double[n];
        if (plans.Any(p => p.Contrast != 1))
        {
            // the mean of the luma is the luma of the channel means
            using var cpuMeans = input.mean(new long[] { 2, 3 }).to_type(ScalarType.Float64).cpu();
            var channelMeans = cpuMeans.data<double>().ToArray();
            for (int i = 0; i < n; i++)
                means[i] = c == 3
                    ? ColorMath.LumaR * channelMeans[i * 3] + ColorMath.LumaG * channelMeans[i * 3 + 1] + ColorMath.LumaB * channelMeans[i * 3 + 2]
                    : channelMeans[i];
        }
        if (c == 3)
        {
            var m = new float[n * 12];
            for (int i = 0; i < n; i++)
            {
                var mi = plans[i].ColorMatrix(means[i]);
                for (int k = 0; k < 12; k++) m[i * 12 + k] = (float)mi[k];
            }
            var mt = tensor(m, new long[] { n, 3, 4 }, device: device);
            var y = mt[.., .., ..3].bmm(x.reshape(n, 3, h * w)).PlusInPlace(mt[.., .., 3..]);
            return y.view(n, 3, h, w);
        }
        // Gray: the luma of the RGB result for a gray input (v, v, v).
        var gain = new float[n];
        var shift = new float[n];
        double[] luma3 = { ColorMath.LumaR, ColorMath.LumaG, ColorMath.LumaB };
        for (int i = 0; i < n; i++)
        {
            var mi = plans[i].ColorMatrix(means[i]);
            double g = 0, s = 0;
            for (int r = 0; r < 3; r++)
            {
                g += luma3[r] * (mi[r * 4] + mi[r * 4 + 1] + mi[r * 4 + 2]);
                s += luma3[r] * mi[r * 4 + 3];
            }
            gain[i] = (float)g;
            shift[i] = (float)s;
        }
        return (x * tensor(gain, device: device).view(n, 1, 1, 1)).PlusInPlace(tensor(shift, device: device).view(n, 1, 1, 1));
    }
}
