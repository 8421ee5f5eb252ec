using System.Globalization;
using System.Text;

namespace MlNetExt.Cli.Consumption;

/// <summary>C# identifiers and literals for generated code.</summary>
internal static class CSharpNames
{
    /// <summary>A PascalCase property name for a column ("petal length" -> PetalLength, "2x" -> Column2x), unique in <paramref name="taken"/>.</summary>
    public static string Property(string column, ISet<string> taken)
    {
        var name = new StringBuilder();
        bool upper = true;
        foreach (char c in column)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (name.Length == 0 || !char.IsLetter(name[0]) && name[0] != '_')
            name.Insert(0, "Column");
        string candidate = name.ToString();
        for (int i = 2; !taken.Add(candidate) || Reserved.Contains(candidate); i++)
            candidate = name.ToString() + i.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }

    public static string StringLiteral(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>A float literal for a field of the data file (empty or unparsable: NaN, as TextLoader reads it).</summary>
    public static string FloatLiteral(string field)
    {
        if (!float.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || float.IsNaN(value))
            return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "GetType", "ToString", "Equals", "GetHashCode" };
}
