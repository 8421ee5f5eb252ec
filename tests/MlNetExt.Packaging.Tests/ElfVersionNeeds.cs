using System.Text;

namespace MlNetExt.Packaging.Tests;

/// <summary>
/// Reads the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF shared library, as
/// <c>readelf -V</c> lists them: each required version name with its flags (0x2 = weak).
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort Weak = 0x2;
    private const uint GnuVersionNeedSection = 0x6ffffffe;

    public static IReadOnlyDictionary<string, ushort> Read(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file");

        var needs = new Dictionary<string, ushort>();
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int header = checked((int)sectionTable + s * entrySize);
            if (BitConverter.ToUInt32(elf, header + 4) != GnuVersionNeedSection) continue;
            int need = checked((int)BitConverter.ToInt64(elf, header + 0x18));
            int linked = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int strings = checked((int)BitConverter.ToInt64(elf, (int)sectionTable + linked * entrySize + 0x18));
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    needs[CString(elf, strings + (int)BitConverter.ToUInt32(elf, aux + 8))] = BitConverter.ToUInt16(elf, aux + 4);
                    int nextAux = (int)BitConverter.ToUInt32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                int nextNeed = (int)BitConverter.ToUInt32(elf, need + 12);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }
        return needs;
    }

    private static string CString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.ASCII.GetString(data, offset, (end < 0 ? data.Length : end) - offset);
    }
}
