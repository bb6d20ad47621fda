using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace CompactRnn.Benchmarks.TorchSharp;

/// <summary>
/// The loader-level workaround that lets TorchSharp-cpu 0.107 run on Debian 12 (libstdc++ up to GLIBCXX_3.4.30).
/// </summary>
/// <remarks>
/// <para><c>libLibTorchSharp.so</c> lists <c>GLIBCXX_3.4.32</c> among the versions it needs, for a single symbol,
/// <c>std::ios_base_library_init()</c> (GCC 13's marker that a translation unit includes &lt;iostream&gt;). That
/// symbol has no relocation in the library: nothing ever binds or calls it. The dynamic loader still refuses a
/// library whose needed version is missing, unless the requirement is marked weak (<c>VER_FLG_WEAK</c> in its
/// <c>Elf64_Vernaux</c> entry), in which case a missing version is not an error. This class sets that flag in the
/// copy of the library in this program's own output folder, once (written to a temporary file, then renamed).
/// Streams still initialise: libtorch_cpu.so, built with an older GCC, runs the classic <c>ios_base::Init</c>.</para>
/// <para>Nothing outside the build output changes, and the library project never loads libtorch.</para>
/// </remarks>
internal static class NativeLibraryPatch
{
    private const uint SectionTypeVersionNeeded = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakVersionFlag = 0x2;                 // VER_FLG_WEAK

    /// <summary>The library TorchSharp loads first, next to this program.</summary>
    public static string LibraryPath => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>
    /// Marks the requirement of <paramref name="version"/> weak in the ELF file at <paramref name="path"/>; returns
    /// whether the file changed (false when the entry is absent or already weak).
    /// </summary>
    public static bool MakeVersionRequirementWeak(string path, string version)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 64 || file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F' || file[4] != 2 || file[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a little-endian 64-bit ELF file.");
        }

        long sectionTable = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28)));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3a));
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3c));
        bool changed = false;
        for (int s = 0; s < sectionCount; s++)
        {
            Span<byte> header = Slice(file, sectionTable + ((long)s * entrySize), 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeVersionNeeded)
            {
                continue;
            }

            long offset = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            int linkedStrings = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            long strings = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(Slice(file, sectionTable + ((long)linkedStrings * entrySize), 64)[0x18..]));
            int needCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2c..]); // sh_info: the number of entries
            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                Span<byte> entry = Slice(file, need, 16);
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
                long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
                for (int a = 0; a < auxCount; a++)
                {
                    Span<byte> auxEntry = Slice(file, aux, 16);
                    string name = ReadString(file, strings + BinaryPrimitives.ReadUInt32LittleEndian(auxEntry[8..]));
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(auxEntry[4..]);
                    if (name == version && (flags & WeakVersionFlag) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(auxEntry[4..], (ushort)(flags | WeakVersionFlag));
                        changed = true;
                    }

                    aux += BinaryPrimitives.ReadUInt32LittleEndian(auxEntry[12..]);
                }

                need += BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            }
        }

        if (changed)
        {
            string temporary = path + ".patching";
            File.WriteAllBytes(temporary, file);
            File.Move(temporary, path, overwrite: true);
        }

        return changed;
    }

    private static Span<byte> Slice(byte[] file, long offset, int length)
    {
        if (offset < 0 || offset + length > file.Length)
        {
            throw new InvalidDataException($"ELF structure at {offset} runs past the end of the file ({file.Length} bytes).");
        }

        return file.AsSpan((int)offset, length);
    }

    private static string ReadString(byte[] file, long offset)
    {
        int start = (int)offset, end = start;
        while (end < file.Length && file[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(file, start, end - start);
    }
}
