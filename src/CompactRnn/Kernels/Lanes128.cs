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
    public static Vector128<float> Permute(Vector128<float> value, Vector128<float> indices) => Vector128.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> ifClear) => Vector128.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    /// <inheritdoc />
    public static Vector128<float> GreaterThanOrEqual(Vector128<float> left, Vector128<float> right) => Vector128.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    /// <inheritdoc />
    public static Vector128<float> Min(Vector128<float> left, Vector128<float> right) => Vector128.Min(left, right);

    /// <inheritdoc />
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => Vector128.Max(left, right);

    /// <inheritdoc />
    public static Vector128<float> Round(Vector128<float> value) => Vector128.Round(value);

    /// <inheritdoc />
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> value, Vector128<float> exponent)
        => (value.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32(exponent), 23)).AsSingle();
}
