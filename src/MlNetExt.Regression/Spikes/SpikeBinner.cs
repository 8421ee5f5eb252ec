using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;
using MlNetExt.Regression.Data;

namespace MlNetExt.Regression.Spikes;

/// <summary>
/// Counts spike events per neuron in fixed-width time bins and averages covariates over the same bins.
/// Bins are [StartTime + b*BinSeconds, StartTime + (b+1)*BinSeconds); they cover the covariates' time span.
/// A bin without covariate samples (covariates sampled slower than the bins) gets the covariates linearly
/// interpolated at the bin's centre. Spikes outside the binned span are ignored. Times within 1e-9 bins below an
/// edge count into the next bin (floating-point round-off).
/// </summary>
internal static class SpikeBinner
{
    // Times within this fraction of a bin below a bin edge count into the next bin, so that 0.15 s with 0.05 s bins
    // lands in bin 3 despite 0.15 / 0.05 = 2.9999999999999996 in floating point.
    private const double BoundaryTolerance = 1e-9;

    public static IDataView Bin(IDataView spikes, IDataView covariates, SpikeBinningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.BinSeconds > 0) || double.IsInfinity(options.BinSeconds))
            throw new ArgumentOutOfRangeException(nameof(options), $"BinSeconds must be a positive finite number of seconds; found {options.BinSeconds}.");
        if (options.HistoryBins < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"HistoryBins must be 0 or more; found {options.HistoryBins}.");
        if (options.NeuronCount is int n && n <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"NeuronCount must be positive; found {n}.");

        var cov = ReadCovariates(covariates, options);
        double t0 = options.StartTime ?? cov.Times[0];
        if (double.IsNaN(t0) || double.IsInfinity(t0)) throw new ArgumentOutOfRangeException(nameof(options), $"StartTime must be finite; found {t0}.");
        double span = cov.Times[^1] - t0;
        if (span < 0) throw new ArgumentOutOfRangeException(nameof(options), $"StartTime {t0} is after the last covariate sample ({cov.Times[^1]} s).");
        long binCountLong = (long)Math.Floor(span / options.BinSeconds + 1e-9) + 1;
        if (binCountLong > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(options), $"{binCountLong} bins are too many; use wider bins.");
        int binCount = (int)binCountLong;
        int h = options.HistoryBins;
        if (binCount <= h)
            throw new ArgumentException($"The covariates span {binCount} bins of {options.BinSeconds} s, not more than HistoryBins = {h}; no bin would have a full history.", nameof(covariates));

        var (neurons, bins, spikeCount, neuronCount) = ReadSpikes(spikes, options, t0, binCount);
        double[] binned = AverageCovariates(cov, t0, options.BinSeconds, binCount);
        return BuildView(cov.Names, neuronCount, neurons, bins, spikeCount, binned, t0, options.BinSeconds, binCount, h);
    }

    private sealed record CovariateSamples(string[] Names, double[] Times, double[] Values);

    private static CovariateSamples ReadCovariates(IDataView covariates, SpikeBinningOptions options)
    {
        var schema = covariates.Schema;
        var timeColumn = FindTimeColumn(schema, options.CovariateTimeColumnName, "Covariate time", nameof(covariates));
        NumericColumn[] columns;
        if (options.CovariateColumnNames != null)
        {
            columns = options.CovariateColumnNames
                .Select(name => NumericColumn.Find(schema, name, NumericColumnShape.Scalar, role: "Covariate", parameterName: nameof(options)))
                .ToArray();
        }
        else
        {
            columns = schema.Where(c => !c.IsHidden && c.Index != timeColumn.Index && c.Type is NumberDataViewType)
                .Select(c => NumericColumn.Find(schema, c.Name, NumericColumnShape.Scalar, role: "Covariate", parameterName: nameof(covariates)))
                .ToArray();
        }
        if (columns.Length == 0)
            throw new ArgumentException($"The covariates have no numeric scalar column besides '{timeColumn.Name}'.", nameof(covariates));

        int c = columns.Length;
        var times = new List<double>();
        var values = new List<double>();
        using var cursor = covariates.GetRowCursor(columns.Select(col => col.Column).Append(timeColumn).DistinctBy(col => col.Index));
        var timeGetter = MakeTimeGetter(cursor, timeColumn);
        var readers = columns.Select(col => col.CreateReader(cursor)).ToArray();
        var one = new double[1];
        double previous = double.NegativeInfinity;
        long row = 0;
        while (cursor.MoveNext())
        {
            double t = timeGetter();
            if (double.IsNaN(t) || double.IsInfinity(t))
                throw new InvalidDataException($"Covariate time column '{timeColumn.Name}' has a non-finite value ({t}) at row {row}.");
            if (t < previous)
                throw new InvalidDataException($"Covariate time column '{timeColumn.Name}' is not sorted ascending: row {row} ({t} s) comes after {previous} s.");
            previous = t;
            times.Add(t);
            for (int j = 0; j < c; j++)
            {
                readers[j].Read(one.AsSpan());
                if (double.IsNaN(one[0]) || double.IsInfinity(one[0]))
                    throw new InvalidDataException($"Covariate column '{columns[j].Name}' has a non-finite value ({one[0]}) at row {row}.");
                values.Add(one[0]);
            }
            row++;
        }
        if (times.Count == 0) throw new ArgumentException("The covariates have no rows.", nameof(covariates));
        return new CovariateSamples(columns.Select(x => x.Name).ToArray(), times.ToArray(), values.ToArray());
    }

    private static DataViewSchema.Column FindTimeColumn(DataViewSchema schema, string name, string role, string paramName)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"{role} column '{name}' was not found. Available columns: {string.Join(", ", schema.Select(c => c.Name))}.", paramName);
        if (column.Type != NumberDataViewType.Double && column.Type != NumberDataViewType.Single)
            throw new ArgumentException($"{role} column '{name}' must be Double (seconds) or Single; found {column.Type}.", paramName);
        return column;
    }

    private static Func<double> MakeTimeGetter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Double)
        {
            var g = row.GetGetter<double>(column);
            double v = 0;
            return () => { g(ref v); return v; };
        }
        var gf = row.GetGetter<float>(column);
        float f = 0;
        return () => { gf(ref f); return f; };
    }

    private static Func<long> MakeNeuronGetter(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        // Keys: raw value 1..Count is neuron 0..Count-1; raw 0 (missing) becomes -1 and is reported as out of range.
        long shift = type is KeyDataViewType ? 1 : 0;
        var raw = type.RawType;
        if (raw == typeof(int)) { var g = row.GetGetter<int>(column); int v = 0; return () => { g(ref v); return v - shift; }; }
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v - shift; }; }
        if (raw == typeof(long)) { var g = row.GetGetter<long>(column); long v = 0; return () => { g(ref v); return v - shift; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v > long.MaxValue ? long.MaxValue : (long)v - shift; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v - shift; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v - shift; }; }
        throw new InvalidOperationException("unreachable");
    }

    private static (int[] Neurons, int[] Bins, int Count, int NeuronCount) ReadSpikes(IDataView spikes, SpikeBinningOptions options, double t0, int binCount)
    {
        var schema = spikes.Schema;
        var neuronColumn = schema.GetColumnOrNull(options.NeuronColumnName)
            ?? throw new ArgumentException($"Neuron column '{options.NeuronColumnName}' was not found in the spikes. Available columns: {string.Join(", ", schema.Select(c => c.Name))}.", nameof(spikes));
        var nt = neuronColumn.Type;
        bool integral = nt is KeyDataViewType || nt == NumberDataViewType.Int32 || nt == NumberDataViewType.UInt32 || nt == NumberDataViewType.Int64;
        if (!integral)
            throw new ArgumentException($"Neuron column '{neuronColumn.Name}' must be Int32, UInt32, Int64 or a key; found {nt}.", nameof(spikes));
        var timeColumn = FindTimeColumn(schema, options.SpikeTimeColumnName, "Spike time", nameof(spikes));

        int? declared = options.NeuronCount;
        if (declared == null && nt is KeyDataViewType key && key.Count > 0 && key.Count <= int.MaxValue) declared = (int)key.Count;
        long limit = declared ?? int.MaxValue;

        double binSeconds = options.BinSeconds;
        long capacity = spikes.GetRowCount() ?? 1024;
        var neurons = new int[Math.Max(16, (int)Math.Min(capacity, int.MaxValue / 2))];
        var bins = new int[neurons.Length];
        int count = 0;
        long maxNeuron = -1;
        using var cursor = spikes.GetRowCursor(new[] { neuronColumn, timeColumn });
        var neuronGetter = MakeNeuronGetter(cursor, neuronColumn);
        var timeGetter = MakeTimeGetter(cursor, timeColumn);
        double previous = 0;
        long row = 0;
        while (cursor.MoveNext())
        {
            double t = timeGetter();
            long id = neuronGetter();
            if (double.IsNaN(t) || double.IsInfinity(t))
                throw new InvalidDataException($"Spike time column '{timeColumn.Name}' has a non-finite value ({t}) at row {row}.");
            if (t < 0)
                throw new InvalidDataException($"Spike time column '{timeColumn.Name}' has a negative time ({t} s) at row {row}.");
            if (t < previous)
                throw new InvalidDataException($"Spike time column '{timeColumn.Name}' is not sorted ascending: row {row} ({t} s) comes after {previous} s.");
            previous = t;
            if (id < 0 || id >= limit)
            {
                string range = declared is int d ? $"0..{d - 1}" : "0 or more";
                string found = nt is KeyDataViewType ? (id < 0 ? "a missing key" : $"key {id + 1}") : id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new InvalidDataException($"Neuron column '{neuronColumn.Name}' has an id out of range at row {row}: expected {range}, found {found}.");
            }
            row++;
            double position = (t - t0) / binSeconds + BoundaryTolerance;
            if (position < 0 || position >= binCount) continue;
            int bin = (int)position;
            if (count == neurons.Length)
            {
                Array.Resize(ref neurons, checked(neurons.Length * 2));
                Array.Resize(ref bins, neurons.Length);
            }
            neurons[count] = (int)id;
            bins[count] = bin;
            count++;
            if (id > maxNeuron) maxNeuron = id;
        }
        int neuronCount = declared ?? (int)(maxNeuron + 1);
        if (neuronCount <= 0)
            throw new ArgumentException($"No spike falls in the binned span and NeuronCount is not given, so the number of neurons is unknown.", nameof(spikes));
        return (neurons, bins, count, neuronCount);
    }

    private static double[] AverageCovariates(CovariateSamples cov, double t0, double binSeconds, int binCount)
    {
        int c = cov.Names.Length;
        var sums = new double[binCount * c];
        var counts = new int[binCount];
        for (int i = 0; i < cov.Times.Length; i++)
        {
            double position = (cov.Times[i] - t0) / binSeconds + BoundaryTolerance;
            if (position < 0 || position >= binCount) continue;
            int b = (int)position;
            counts[b]++;
            for (int j = 0; j < c; j++) sums[b * c + j] += cov.Values[i * c + j];
        }
        int sample = 0;
        for (int b = 0; b < binCount; b++)
        {
            if (counts[b] > 0)
            {
                for (int j = 0; j < c; j++) sums[b * c + j] /= counts[b];
                continue;
            }
            // No sample in the bin: interpolate linearly at its centre between the neighbouring samples.
            double centre = t0 + (b + 0.5) * binSeconds;
            while (sample < cov.Times.Length && cov.Times[sample] <= centre) sample++;
            int right = Math.Min(sample, cov.Times.Length - 1);
            int left = Math.Max(sample - 1, 0);
            double tl = cov.Times[left], tr = cov.Times[right];
            double w = tr > tl ? Math.Clamp((centre - tl) / (tr - tl), 0, 1) : 0;
            for (int j = 0; j < c; j++)
                sums[b * c + j] = (1 - w) * cov.Values[left * c + j] + w * cov.Values[right * c + j];
        }
        return sums;
    }

    private static IDataView BuildView(string[] covariateNames, int neuronCount, int[] neurons, int[] bins, int spikeCount,
        double[] binned, double t0, double binSeconds, int binCount, int h)
    {
        int c = covariateNames.Length;
        int rows = binCount - h;
        var time = new double[rows];
        for (int r = 0; r < rows; r++) time[r] = t0 + (r + h) * binSeconds;

        var counts = new float[(long)rows * neuronCount];
        for (int i = 0; i < spikeCount; i++)
        {
            int r = bins[i] - h;
            if (r >= 0) counts[(long)r * neuronCount + neurons[i]] += 1f;
        }

        int featureWidth = c * (h + 1);
        var covariates = new float[rows * c];
        var features = new float[(long)rows * featureWidth];
        var history = h > 0 ? new float[(long)rows * c * h] : null;
        for (int r = 0; r < rows; r++)
        {
            int b = r + h;
            for (int j = 0; j < c; j++)
            {
                float v = (float)binned[b * c + j];
                covariates[r * c + j] = v;
                features[(long)r * featureWidth + j] = v;
            }
            for (int lag = 1; lag <= h; lag++)
            {
                for (int j = 0; j < c; j++)
                {
                    float v = (float)binned[(b - lag) * c + j];
                    history![((long)r * h + (lag - 1)) * c + j] = v;
                    features[(long)r * featureWidth + c * lag + j] = v;
                }
            }
        }

        var historyNames = new List<string>();
        for (int lag = 1; lag <= h; lag++) historyNames.AddRange(covariateNames.Select(name => $"{name}@-{lag}"));
        var neuronNames = Enumerable.Range(0, neuronCount).Select(i => $"n{i}").ToArray();
        var columns = new List<ColumnarDataView.ColumnData>
        {
            new ColumnarDataView.DoubleColumn(SpikeBinColumns.Time, time),
            new ColumnarDataView.FloatVectorColumn(SpikeBinColumns.Counts, counts, neuronCount, neuronNames),
            new ColumnarDataView.FloatVectorColumn(SpikeBinColumns.Covariates, covariates, c, covariateNames),
        };
        if (history != null) columns.Add(new ColumnarDataView.FloatVectorColumn(SpikeBinColumns.History, history, c * h, historyNames));
        columns.Add(new ColumnarDataView.FloatVectorColumn(SpikeBinColumns.Features, features, featureWidth, covariateNames.Concat(historyNames).ToArray()));
        return new ColumnarDataView(columns);
    }
}
