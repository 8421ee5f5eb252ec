using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Turns a failure to read images into an error that names the image column, the row and the file. ML.NET's image
/// loader says only "Invalid input stream contents" for a corrupt file, and its multi-threaded cursors wrap that in
/// "Splitter/consolidator worker encountered exception"; here the root cause is kept and the failing row is found by
/// reading the column again on one thread, with the text columns of that row that look like file paths (the column
/// <c>LoadImages</c> read).
/// </summary>
internal static class ImageReadFailure
{
    private const int MaxShownValueLength = 200;

    /// <summary>
    /// The exception to throw for <paramref name="error"/>, raised while reading <paramref name="data"/>: an
    /// <see cref="InvalidDataException"/> naming <paramref name="imageColumn"/>, the first row of <paramref name="data"/>
    /// whose image cannot be read (when one is found) and the root cause.
    /// </summary>
    /// <param name="error">What the reader threw.</param>
    /// <param name="what">What was being read, for example "the training images of column".</param>
    /// <param name="imageColumn">The image column as the user named it.</param>
    /// <param name="data">Data holding <paramref name="imageColumn"/>, scanned to find the failing row; null: not scanned.</param>
    public static InvalidDataException Describe(Exception error, string what, string imageColumn, IDataView? data)
    {
        var root = RootCause(error);
        string? row = data is null ? null : FirstUnreadableRow(data, imageColumn);
        string where = row is null ? "" : $" at {row}";
        return new InvalidDataException(
            $"Could not read {what} '{imageColumn}'{where} (a missing, empty or corrupt image file?): {root.Message}", error);
    }

    /// <summary>The innermost exception (ML.NET's cursors wrap the image loader's error).</summary>
    public static Exception RootCause(Exception error)
    {
        var root = error;
        while (root.InnerException is not null)
            root = root.InnerException;
        return root;
    }

    /// <summary>
    /// "row N (Path = 'x.png')" for the first row whose image getter throws, reading one row at a time; null when the
    /// column is not an image column or every image reads.
    /// </summary>
    public static string? FirstUnreadableRow(IDataView data, string imageColumn)
    {
        var image = data.Schema.GetColumnOrNull(imageColumn);
        if (image is null || image.Value.Type is not ImageDataViewType)
            return null;
        var text = data.Schema.Where(c => !c.IsHidden && c.Type is TextDataViewType).ToArray();
        try
        {
            using var cursor = data.GetRowCursor(text.Append(image.Value));
            var imageGetter = cursor.GetGetter<MLImage>(image.Value);
            var textGetters = text.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
            MLImage? value = null;
            try
            {
                for (long row = 0; cursor.MoveNext(); row++)
                {
                    try
                    {
                        value?.Dispose();
                        value = null;
                        imageGetter(ref value!);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        return $"row {row.ToString(CultureInfo.InvariantCulture)} (counting from 0){PathValues(text, textGetters)}";
                    }
                }
            }
            finally
            {
                value?.Dispose();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The scan is a courtesy: the original error is reported either way.
        }
        return null;
    }

    /// <summary>", Path = 'x.png'" for the text values of the current row that look like file paths (or, when none do,
    /// every text value), or "".</summary>
    private static string PathValues(DataViewSchema.Column[] columns, ValueGetter<ReadOnlyMemory<char>>[] getters)
    {
        var values = new List<(string Column, string Value)>();
        for (int i = 0; i < columns.Length; i++)
        {
            ReadOnlyMemory<char> value = default;
            getters[i](ref value);
            values.Add((columns[i].Name, value.ToString()));
        }
        var paths = values.Where(v => LooksLikePath(v.Value)).ToList();
        var shown = paths.Count > 0 ? paths : values;
        return shown.Count == 0 ? "" : ", " + string.Join(", ", shown.Select(v => $"{v.Column} = '{Shorten(v.Value)}'"));
    }

    private static bool LooksLikePath(string value) =>
        value.Length > 0 && (value.Contains('/') || value.Contains('\\') || Path.HasExtension(value));

    private static string Shorten(string value) => value.Length <= MaxShownValueLength ? value : value[..MaxShownValueLength] + "...";
}
