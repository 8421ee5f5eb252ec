using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Core.Training;

/// <summary>Splits training data into training and validation sources as the options ask.</summary>
public static class TrainingDataSplit
{
    /// <summary>Applies <see cref="NeuralTrainerOptions.ValidationSet"/> (which wins) or
    /// <see cref="NeuralTrainerOptions.ValidationFraction"/> (a split seeded with <paramref name="seed"/>) and builds both sources.</summary>
    /// <param name="context">The ML.NET context (its TrainTestSplit is used).</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="columns">The columns to read from both sets.</param>
    /// <param name="seed">Seed of the validation split.</param>
    /// <returns>The training source and the validation source (null when there is no validation data); the caller disposes both.
    /// Messages about bad values name the row by its 0-based number in <paramref name="data"/> (in <see cref="NeuralTrainerOptions.ValidationSet"/>
    /// for rows of that set), also for rows of a <see cref="NeuralTrainerOptions.ValidationFraction"/> split.</returns>
    /// <exception cref="OperationCanceledException"><see cref="NeuralTrainerOptions.CancellationToken"/> was cancelled while the data were read.</exception>
    public static (DataViewTensorSource Train, DataViewTensorSource? Validation) Create(
        MLContext context, IDataView data, NeuralTrainerOptions options, IReadOnlyList<TensorColumnSpec> columns, int seed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.ValidationFraction >= 0f && options.ValidationFraction < 1f))
            throw new ArgumentOutOfRangeException(nameof(options),
                $"ValidationFraction must be in [0, 1); found {options.ValidationFraction}.");

        IDataView trainData = data;
        IDataView? validationData = options.ValidationSet;
        string? rowNumbers = null;
        if (validationData is null && options.ValidationFraction > 0f)
        {
            // Number the rows before splitting, so a bad value in either split is reported by its row in the user's data.
            var split = context.Data.TrainTestSplit(new RowNumberedDataView(data), testFraction: options.ValidationFraction, seed: seed);
            trainData = split.TrainSet;
            validationData = split.TestSet;
            rowNumbers = RowNumberedDataView.ColumnName;
        }

        var token = options.CancellationToken;
        var train = DataViewTensorSource.Create(trainData, columns, options.MaxInMemoryBytes, options.ShuffleBufferSize, rowNumbers, token);
        if (validationData is null)
            return (train, null);
        try
        {
            return (train, DataViewTensorSource.Create(validationData, columns, options.MaxInMemoryBytes, options.ShuffleBufferSize, rowNumbers, token));
        }
        catch (InvalidDataException e)
        {
            train.Dispose();
            var source = options.ValidationSet is null
                ? $"the rows held out for validation (ValidationFraction = {options.ValidationFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}; rows are numbered as in the training data)"
                : "ValidationSet";
            throw new InvalidDataException($"In {source}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            train.Dispose();
            throw new ArgumentException($"In ValidationSet: {e.Message}", nameof(options), e);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }
}
