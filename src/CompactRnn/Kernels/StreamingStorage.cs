using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Zeroed storage for a packed streaming matrix: a pinned array whose used part starts on a 64-byte boundary and,
/// on Linux, is advised for transparent huge pages before it is first touched.
/// </summary>
/// <remarks>
/// Why: the batch-1 GEMV streams every weight once per step from memory, so a large model's step runs at the rate one
/// core pulls a single sequential stream. A plain managed array's data starts at any multiple of 8 bytes within a
/// cache line, so 64-byte vector loads mostly straddled two lines each; aligning the start gave most of a 1.3–1.5×
/// faster float32 LSTMP step on a Zen 5 host. Huge pages add a few per cent there (fewer TLB misses; the hardware
/// prefetchers stop at 4 KB page boundaries). docs/benchmarks.md, "Float32 streaming bandwidth (Zen 5)", has the
/// measurements.
/// </remarks>
internal static class StreamingStorage
{
    private const int AlignmentBytes = 64;

    /// <summary>
    /// Returns an array holding at least <paramref name="count"/> zero elements from <paramref name="start"/> on,
    /// where the element at <paramref name="start"/> is 64-byte aligned; the array never moves.
    /// </summary>
    /// <param name="count">Elements needed.</param>
    /// <param name="hugePages">Whether to advise transparent huge pages (a hint; Linux only).</param>
    /// <param name="start">The index of the first used element.</param>
    public static TElement[] Allocate<TElement>(int count, bool hugePages, out int start)
        where TElement : unmanaged
    {
        int size = Unsafe.SizeOf<TElement>();
        TElement[] array = GC.AllocateUninitializedArray<TElement>(checked(count + (AlignmentBytes / size)), pinned: true);
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject().ToInt64();
        handle.Free(); // the pinned object heap never moves the array, so the address stays valid
        start = (int)((AlignmentBytes - (address & (AlignmentBytes - 1))) & (AlignmentBytes - 1)) / size;
        if (hugePages)
        {
            // Before the first write: the advice decides the page size only for pages not yet faulted in.
            MemoryAdvice.AdviseHugePages(address + ((long)start * size), (long)count * size);
        }

        array.AsSpan().Clear();
        return array;
    }
}
