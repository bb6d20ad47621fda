using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>512-bit lanes of 16 floats (<see cref="Vector512{T}"/>).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    /// <summary>True when the hardware runs 512-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 16;

    /// <inheritdoc />
    public static Vector512<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 16 <= source.Length);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    public static void Store(Vector512<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 16 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc />
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    /// <inheritdoc />
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    /// <inheritdoc />
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    /// <inheritdoc />
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);

    /// <inheritdoc />
    /// <remarks>Two constant-index shuffles and a blend (no cross-platform zip exists).</remarks>
    public static Vector512<float> InterleaveLower(Vector512<float> a, Vector512<float> b)
        => Vector512.ConditionalSelect(Vector512.Create(0,-1,0,-1,0,-1,0,-1,0,-1,0,-1,0,-1,0,-1).AsSingle(), Vector512.Shuffle(b, Vector512.Create(0,0,1,1,2,2,3,3,4,4,5,5,6,6,7,7)), Vector512.Shuffle(a, Vector512.Create(0,0,1,1,2,2,3,3,4,4,5,5,6,6,7,7)));

    /// <inheritdoc />
    public static Vector512<float> InterleaveUpper(Vector512<float> a, Vector512<float> b)
        => Vector512.ConditionalSelect(Vector512.Create(0,-1,0,-1,0,-1,0,-1,0,-1,0,-1,0,-1,0,-1).AsSingle(), Vector512.Shuffle(b, Vector512.Create(8,8,9,9,10,10,11,11,12,12,13,13,14,14,15,15)), Vector512.Shuffle(a, Vector512.Create(8,8,9,9,10,10,11,11,12,12,13,13,14,14,15,15)));
}
