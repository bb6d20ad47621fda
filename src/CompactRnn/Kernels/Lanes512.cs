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
    public static Vector512<float> Permute(Vector512<float> value, Vector512<float> indices) => Vector512.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> ifClear) => Vector512.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    /// <inheritdoc />
    public static Vector512<float> GreaterThanOrEqual(Vector512<float> left, Vector512<float> right) => Vector512.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    /// <inheritdoc />
    public static Vector512<float> Min(Vector512<float> left, Vector512<float> right) => Vector512.Min(left, right);

    /// <inheritdoc />
    public static Vector512<float> Max(Vector512<float> left, Vector512<float> right) => Vector512.Max(left, right);

    /// <inheritdoc />
    public static Vector512<float> Round(Vector512<float> value) => Vector512.Round(value);

    /// <inheritdoc />
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> value, Vector512<float> exponent)
        => (value.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(exponent), 23)).AsSingle();
}
