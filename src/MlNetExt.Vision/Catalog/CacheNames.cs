namespace MlNetExt.Vision.Catalog;

/// <summary>
/// Rules for the names a catalog entry puts in the cache (its id becomes a folder, its file name a file in it): a
/// name must be one plain path segment, so that no entry can write outside the cache directory.
/// </summary>
internal static class CacheNames
{
    private static readonly char[] Forbidden = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':' }).Distinct().ToArray();

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a single plain path segment.</summary>
    public static void Validate(string name, string parameterName)
    {
        string? problem = Problem(name);
        if (problem is not null)
        {
            throw new ArgumentException(
                $"'{name}' cannot be used as a cache name: {problem}. Ids and file names of pretrained weights must be plain names, "
                + "without path separators, '..' or a drive or root.", parameterName);
        }
    }

    /// <summary>Why <paramref name="name"/> is not a plain path segment, or <c>null</c> when it is.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        if (name.IndexOfAny(Forbidden) >= 0)
        {
            return "it contains a path separator or a character not allowed in file names";
        }

        if (Path.IsPathRooted(name) || name != name.Trim())
        {
            return "it is rooted or starts or ends with white space";
        }

        return null;
    }

    /// <summary>
    /// <c>Path.Combine(cache, id, fileName)</c> as a full path, checked to lie inside <paramref name="cacheDirectory"/>
    /// (defence in depth: entries are validated when they are built).
    /// </summary>
    public static string TargetPath(string cacheDirectory, string id, string fileName)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(cacheDirectory));
        string target = Path.GetFullPath(Path.Combine(root, id, fileName));
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string expectedFolder = Path.Combine(root, id) + Path.DirectorySeparatorChar;
        if (Problem(id) is not null || Problem(fileName) is not null || !target.StartsWith(expectedFolder, comparison)
            || target.Length == expectedFolder.Length)
        {
            throw new InvalidOperationException(
                $"Pretrained weights '{id}' / '{fileName}' would be stored at '{target}', outside its folder in the cache '{root}'; refused.");
        }

        return target;
    }
}
