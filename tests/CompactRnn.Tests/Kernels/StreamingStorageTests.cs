using System;
using System.Runtime;
using System.Runtime.InteropServices;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

/// <summary>
/// The storage of the packed streaming matrices: zeroed, its used part 64-byte aligned, and not moved by a
/// compacting collection (the alignment is computed once, from the address).
/// </summary>
public sealed class StreamingStorageTests
{
    [Theory]
    [InlineData(1, false), InlineData(1000, false), InlineData(3 << 20, true)]
    public void Allocate_Float_ZeroedAlignedAndPinned(int count, bool hugePages)
    {
        float[] array = StreamingStorage.Allocate<float>(count, hugePages, out int start);
        Assert.InRange(start, 0, 15);
        Assert.True(array.Length - start >= count);
        Assert.True(Array.TrueForAll(array, v => v == 0));
        long before = AddressOf(array);
        Assert.Equal(0, (before + (start * sizeof(float))) % 64);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(before, AddressOf(array));
    }

    [Fact]
    public void Allocate_UInt_Aligned()
    {
        uint[] array = StreamingStorage.Allocate<uint>(777, hugePages: true, out int start);
        Assert.Equal(0, (AddressOf(array) + (start * sizeof(uint))) % 64);
        Assert.True(Array.TrueForAll(array, v => v == 0));
    }

    [Fact]
    public void AdviseHugePages_NoWholeHugePage_ReturnsFalse()
        => Assert.False(MemoryAdvice.AdviseHugePages(4096, 4096));

    private static long AddressOf(Array array)
    {
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            return handle.AddrOfPinnedObject().ToInt64();
        }
        finally
        {
            handle.Free();
        }
    }
}
