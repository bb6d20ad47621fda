using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>256-bit lanes of 8 floats (<see cref="Vector256{T}"/>).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    /// <summary>True when the hardware runs 256-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 8;

    /// <inheritdoc />
    public static Vector256<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 8 <= source.Length);
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    public static void Store(Vector256<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 8 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc />
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    /// <inheritdoc />
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    /// <inheritdoc />
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    /// <inheritdoc />
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    /// <inheritdoc />
    /// <remarks>Two constant-index shuffles and a blend (no cross-platform zip exists).</remarks>
    public static Vector256<float> InterleaveLower(Vector256<float> a, Vector256<float> b)
        => Vector256.ConditionalSelect(Vector256.Create(0,-1,0,-1,0,-1,0,-1).AsSingle(), Vector256.Shuffle(b, Vector256.Create(0,0,1,1,2,2,3,3)), Vector256.Shuffle(a, Vector256.Create(0,0,1,1,2,2,3,3)));

    /// <inheritdoc />
    public static Vector256<float> InterleaveUpper(Vector256<float> a, Vector256<float> b)
        => Vector256.ConditionalSelect(Vector256.Create(0,-1,0,-1,0,-1,0,-1).AsSingle(), Vector256.Shuffle(b, Vector256.Create(4,4,5,5,6,6,7,7)), Vector256.Shuffle(a, Vector256.Create(4,4,5,5,6,6,7,7)));
}
