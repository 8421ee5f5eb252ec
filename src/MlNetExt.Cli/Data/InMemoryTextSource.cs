using System.Text;
using Microsoft.ML.Data;

namespace MlNetExt.Cli.Data;

/// <summary>One delimited text held in memory, served to ML.NET's TextLoader as if it were a file.</summary>
internal sealed class InMemoryTextSource(string name, string text) : IMultiStreamSource
{
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(text);

    public int Count => 1;

    public string? GetPathOrNull(int index)
    {
        Check(index);
        return null;
    }

    public Stream Open(int index)
    {
        Check(index);
        return new MemoryStream(_bytes, writable: false);
    }

    public TextReader OpenTextReader(int index) => new StreamReader(Open(index), Encoding.UTF8);

    private void Check(int index)
    {
        if (index != 0)
            throw new ArgumentOutOfRangeException(nameof(index), $"'{name}' is one text; its only index is 0.");
    }
}
