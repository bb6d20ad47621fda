using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompactRnn.Kernels;

/// <summary>128-bit lanes of 4 floats (<see cref="Vector128{T}"/>).</summary>
internal readonly struct Lanes128 : ILanes<Vector128<float>>
{
    /// <summary>True when the hardware runs 128-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 4;

    /// <inheritdoc />
    public static Vector128<float> Zero => Vector128<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 4 <= source.Length);
        return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 4 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) => Vector128.MultiplyAddEstimate(left, right, addend);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Permute(Vector128<float> value, Vector128<float> indices) => Vector128.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> ifClear) => Vector128.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThanOrEqual(Vector128<float> left, Vector128<float> right) => Vector128.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SquareRoot(Vector128<float> value) => Vector128.Sqrt(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> left, Vector128<float> right) => Vector128.Min(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => Vector128.Max(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Round(Vector128<float> value) => Vector128.Round(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> value, Vector128<float> exponent)
        => (value.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32(exponent), 23)).AsSingle();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector128<float> low, out Vector128<float> high)
    {
        Vector128<uint> pairs = Vector128.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector128.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAddBytes(Vector128<float> unsignedBytes, Vector128<float> signedBytes, Vector128<float> addend)
    {
        if (AvxVnni.IsSupported)
        {
            return AvxVnni.MultiplyWideningAndAdd(addend.AsInt32(), unsignedBytes.AsByte(), signedBytes.AsSByte()).AsSingle();
        }

        if (Ssse3.IsSupported)
        {
            Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(unsignedBytes.AsByte(), signedBytes.AsSByte());
            return (Sse2.MultiplyAddAdjacent(pairs, Vector128<short>.One) + addend.AsInt32()).AsSingle();
        }

        (Vector128<ushort> uLow, Vector128<ushort> uHigh) = Vector128.Widen(unsignedBytes.AsByte());
        (Vector128<short> sLow, Vector128<short> sHigh) = Vector128.Widen(signedBytes.AsSByte());
        (Vector128<int> a, Vector128<int> b) = Vector128.Widen(uLow.AsInt16() * sLow);
        (Vector128<int> c, Vector128<int> d) = Vector128.Widen(uHigh.AsInt16() * sHigh);
        return (addend.AsInt32() + (a + b) + (c + d)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> SumInt32(Vector128<float> first, Vector128<float> second, Vector128<float> third, Vector128<float> fourth)
    {
        if (!Sse2.IsSupported)
        {
            return Vector128.Create(Vector128.Sum(first.AsInt32()), Vector128.Sum(second.AsInt32()), Vector128.Sum(third.AsInt32()), Vector128.Sum(fourth.AsInt32()));
        }

        // [a0+a2, b0+b2, a1+a3, b1+b3], then [a, b, c, d].
        Vector128<int> a = first.AsInt32(), b = second.AsInt32(), c = third.AsInt32(), d = fourth.AsInt32();
        Vector128<long> ab = (Sse2.UnpackLow(a, b) + Sse2.UnpackHigh(a, b)).AsInt64(), cd = (Sse2.UnpackLow(c, d) + Sse2.UnpackHigh(c, d)).AsInt64();
        return Sse2.UnpackLow(ab, cd).AsInt32() + Sse2.UnpackHigh(ab, cd).AsInt32();
    }

    /// <inheritdoc />
    public static Vector128<float> PackBytes(Vector128<float> first, Vector128<float> second, Vector128<float> third, Vector128<float> fourth)
    {
        Vector128<ushort> low = Vector128.Narrow(Vector128.ConvertToUInt32(first), Vector128.ConvertToUInt32(second));
        Vector128<ushort> high = Vector128.Narrow(Vector128.ConvertToUInt32(third), Vector128.ConvertToUInt32(fourth));
        return Vector128.Narrow(low, high).AsSingle();
    }

    /// <inheritdoc />
    public static void AddWidenedSquares(ref float source, nint stride, int count, ref double accumulators)
    {
        Vector128<double> lowSum = Vector128.LoadUnsafe(ref accumulators), highSum = Vector128.LoadUnsafe(ref accumulators, 2);
        for (int k = 0; k < count; k++)
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(Vector128.LoadUnsafe(ref source, (nuint)(k * stride)));
            lowSum += low * low;
            highSum += high * high;
        }

        lowSum.StoreUnsafe(ref accumulators);
        highSum.StoreUnsafe(ref accumulators, 2);
    }
}
