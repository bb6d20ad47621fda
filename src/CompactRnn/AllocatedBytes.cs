using System;

namespace CompactRnn;

/// <summary>
/// Bytes of arrays an object holds, read from the arrays themselves (length × element size), so memory reports
/// count what was really allocated rather than what a formula expects. Object headers are not counted.
/// </summary>
internal static class AllocatedBytes
{
    /// <summary>The payload bytes of <paramref name="arrays"/> together.</summary>
    public static long Of(params ReadOnlySpan<float[]> arrays)
    {
        long bytes = 0;
        foreach (float[] array in arrays)
        {
            bytes += sizeof(float) * array.LongLength;
        }

        return bytes;
    }

    /// <summary>The payload bytes of the arrays of a jagged array (the outer array of references not counted).</summary>
    public static long Of(float[][] arrays) => Of((ReadOnlySpan<float[]>)arrays);
}
