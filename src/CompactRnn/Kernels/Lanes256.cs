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
    public static Vector256<float> Permute(Vector256<float> value, Vector256<float> indices) => Vector256.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> ifClear) => Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    /// <inheritdoc />
    public static Vector256<float> GreaterThanOrEqual(Vector256<float> left, Vector256<float> right) => Vector256.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    /// <inheritdoc />
    public static Vector256<float> Min(Vector256<float> left, Vector256<float> right) => Vector256.Min(left, right);

    /// <inheritdoc />
    public static Vector256<float> Max(Vector256<float> left, Vector256<float> right) => Vector256.Max(left, right);

    /// <inheritdoc />
    public static Vector256<float> Round(Vector256<float> value) => Vector256.Round(value);

    /// <inheritdoc />
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> value, Vector256<float> exponent)
        => (value.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(exponent), 23)).AsSingle();
}
