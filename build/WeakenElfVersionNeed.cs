// MSBuild inline task (compiled by RoslynCodeTaskFactory from TorchSharpNativeFix.targets).
// Marks one symbol-version requirement of an ELF shared library as weak, so that the dynamic loader
// tolerates a system library that lacks that version. Only copies in an output folder are changed.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MlNetExtWeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public string Directory { get; set; } = "";
    [Required] public string FileName { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        string[] targets = System.IO.Directory.GetFiles(Directory, FileName, SearchOption.AllDirectories);
        if (targets.Length == 0) return true;
        if (SystemLibStdCxxHasVersion(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; " + FileName + " left as is.");
            return true;
        }
        foreach (string path in targets)
        {
            try
            {
                string result = PatchFile(path);
                Log.LogMessage(MessageImportance.Normal, FileName + ": " + result + " (" + path + ")");
            }
            catch (Exception e)
            {
                Log.LogError("Could not mark " + VersionName + " weak in " + path + ": " + e.Message);
                return false;
            }
        }
        return true;
    }

    private static bool SystemLibStdCxxHasVersion(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate)) return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
        }
        // No system libstdc++ found where we look: patching is harmless, the loader then ignores the need.
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns what was done: "patched", "already weak" or "no such version need".</summary>
    private string PatchFile(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int verneedOffset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int linkedStrtab = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int strtabOffset = checked((int)BitConverter.ToUInt64(elf, (int)shoff + linkedStrtab * shentsize + 0x18));

            int need = verneedOffset;
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = strtabOffset + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, nameOffset) == VersionName)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) return "already weak";
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        WriteByReplacing(path, elf);
                        return "marked " + VersionName + " weak";
                    }
                    int nextAux = (int)BitConverter.ToUInt32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                int nextNeed = (int)BitConverter.ToUInt32(elf, need + 12);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }
        return "no " + VersionName + " version need";
    }

    private static string ReadCString(byte[] data, int offset)
    {
        int end = offset;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, offset, end - offset);
    }

    // Writes a new file and renames it over the old one, so a hard link into a package cache is never modified.
    private static void WriteByReplacing(string path, byte[] content)
    {
        string temp = path + ".mlnetext-tmp";
        File.WriteAllBytes(temp, content);
        File.Delete(path);
        File.Move(temp, path);
    }
}
