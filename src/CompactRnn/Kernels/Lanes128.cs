using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>128-bit lanes of 4 floats (<see cref="Vector128{T}"/>).</summary>
internal readonly struct Lanes128 : ILanes<Vector128<float>>
{
    /// <summary>True when the hardware runs 128-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 4;

    /// <inheritdoc />
    public static Vector128<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 4 <= source.Length);
        return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    public static void Store(Vector128<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 4 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc />
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    /// <inheritdoc />
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    /// <inheritdoc />
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    /// <inheritdoc />
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    /// <inheritdoc />
    /// <remarks>Two constant-index shuffles and a blend (no cross-platform zip exists).</remarks>
    public static Vector128<float> InterleaveLower(Vector128<float> a, Vector128<float> b)
        => Vector128.ConditionalSelect(Vector128.Create(0,-1,0,-1).AsSingle(), Vector128.Shuffle(b, Vector128.Create(0,0,1,1)), Vector128.Shuffle(a, Vector128.Create(0,0,1,1)));

    /// <inheritdoc />
    public static Vector128<float> InterleaveUpper(Vector128<float> a, Vector128<float> b)
        => Vector128.ConditionalSelect(Vector128.Create(0,-1,0,-1).AsSingle(), Vector128.Shuffle(b, Vector128.Create(2,2,3,3)), Vector128.Shuffle(a, Vector128.Create(2,2,3,3)));
}
