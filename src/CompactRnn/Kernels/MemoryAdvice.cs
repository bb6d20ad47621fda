using System;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// <c>madvise(2)</c> on Linux: asks for transparent huge pages over a range that has not been touched yet. A hint
/// only: where the call is missing or refused, the memory stays in small pages and everything still works.
/// </summary>
internal static class MemoryAdvice
{
    private const int HugePageAdvice = 14; // MADV_HUGEPAGE
    private const long HugePageBytes = 2L << 20;

    /// <summary>
    /// Advises huge pages for the whole 2 MB pages inside [<paramref name="address"/>, + <paramref name="bytes"/>);
    /// returns whether the kernel accepted (false off Linux, for ranges without a whole 2 MB page, or on refusal).
    /// </summary>
    public static bool AdviseHugePages(long address, long bytes)
    {
        long first = (address + HugePageBytes - 1) & ~(HugePageBytes - 1);
        long end = (address + bytes) & ~(HugePageBytes - 1);
        if (!OperatingSystem.IsLinux() || end <= first)
        {
            return false;
        }

        try
        {
            return Madvise((nint)first, (nuint)(end - first), HugePageAdvice) == 0;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);
}
