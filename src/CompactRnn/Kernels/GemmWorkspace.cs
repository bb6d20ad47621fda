using System;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Per-thread scratch memory for packed GEMM panels: allocated on first use (and grown at most to the largest
/// block size the kernels use), then reused, so products are allocation-free after warm-up. The buffer lives on
/// the pinned object heap and is handed out 64-byte aligned, so packed vector loads never straddle cache lines.
/// </summary>
internal static class GemmWorkspace
{
    private const int AlignmentInFloats = 16;

    [ThreadStatic]
    private static float[]? t_buffer;

    [ThreadStatic]
    private static int t_alignedStart;

    /// <summary>Returns this thread's scratch span of at least <paramref name="length"/> floats, 64-byte aligned.</summary>
    /// <remarks>The contents are undefined; the span is valid until the next call on the same thread.</remarks>
    public static Span<float> Rent(int length)
    {
        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length - t_alignedStart < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + AlignmentInFloats, pinned: true);
            GCHandle handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            long address = handle.AddrOfPinnedObject().ToInt64();
            handle.Free(); // the pinned heap never moves the array, so the address stays valid
            t_alignedStart = (int)(((AlignmentInFloats * sizeof(float)) - (address & 63)) & 63) / sizeof(float);
            t_buffer = buffer;
        }

        return buffer.AsSpan(t_alignedStart, length);
    }
}
