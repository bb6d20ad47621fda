using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompactRnn.Kernels;

/// <summary>512-bit lanes of 16 floats (<see cref="Vector512{T}"/>).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    /// <summary>True when the hardware runs 512-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 16;

    /// <inheritdoc />
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 16 <= source.Length);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 16 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.MultiplyAddEstimate(left, right, addend);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Permute(Vector512<float> value, Vector512<float> indices) => Vector512.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> ifClear) => Vector512.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GreaterThanOrEqual(Vector512<float> left, Vector512<float> right) => Vector512.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SquareRoot(Vector512<float> value) => Vector512.Sqrt(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> left, Vector512<float> right) => Vector512.Min(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> left, Vector512<float> right) => Vector512.Max(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> value) => Vector512.Round(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> value, Vector512<float> exponent)
        => (value.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(exponent), 23)).AsSingle();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector512<float> low, out Vector512<float> high)
    {
        Vector512<uint> pairs = Vector512.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector512.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAddBytes(Vector512<float> unsignedBytes, Vector512<float> signedBytes, Vector512<float> addend)
    {
        if (Avx512BW.IsSupported)
        {
            Vector512<short> pairs = Avx512BW.MultiplyAddAdjacent(unsignedBytes.AsByte(), signedBytes.AsSByte());
            return (Avx512BW.MultiplyAddAdjacent(pairs, Vector512<short>.One) + addend.AsInt32()).AsSingle();
        }

        (Vector512<ushort> uLow, Vector512<ushort> uHigh) = Vector512.Widen(unsignedBytes.AsByte());
        (Vector512<short> sLow, Vector512<short> sHigh) = Vector512.Widen(signedBytes.AsSByte());
        (Vector512<int> a, Vector512<int> b) = Vector512.Widen(uLow.AsInt16() * sLow);
        (Vector512<int> c, Vector512<int> d) = Vector512.Widen(uHigh.AsInt16() * sHigh);
        return (addend.AsInt32() + (a + b) + (c + d)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> SumInt32(Vector512<float> first, Vector512<float> second, Vector512<float> third, Vector512<float> fourth)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector128.Create(Vector512.Sum(first.AsInt32()), Vector512.Sum(second.AsInt32()), Vector512.Sum(third.AsInt32()), Vector512.Sum(fourth.AsInt32()));
        }

        // Per 128-bit chunk: [a0+a2, b0+b2, a1+a3, b1+b3], then [a, b, c, d] partial sums; then the four chunks.
        Vector512<int> a = first.AsInt32(), b = second.AsInt32(), c = third.AsInt32(), d = fourth.AsInt32();
        Vector512<long> ab = (Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b)).AsInt64(), cd = (Avx512F.UnpackLow(c, d) + Avx512F.UnpackHigh(c, d)).AsInt64();
        Vector512<int> sums = Avx512F.UnpackLow(ab, cd).AsInt32() + Avx512F.UnpackHigh(ab, cd).AsInt32();
        Vector256<int> half = sums.GetLower() + sums.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    /// <inheritdoc />
    public static Vector512<float> PackBytes(Vector512<float> first, Vector512<float> second, Vector512<float> third, Vector512<float> fourth)
    {
        Vector512<ushort> low = Vector512.Narrow(Vector512.ConvertToUInt32(first), Vector512.ConvertToUInt32(second));
        Vector512<ushort> high = Vector512.Narrow(Vector512.ConvertToUInt32(third), Vector512.ConvertToUInt32(fourth));
        return Vector512.Narrow(low, high).AsSingle();
    }

    /// <inheritdoc />
    public static void AddWidenedSquares(ref float source, nint stride, int count, ref double accumulators)
    {
        Vector512<double> lowSum = Vector512.LoadUnsafe(ref accumulators), highSum = Vector512.LoadUnsafe(ref accumulators, 8);
        for (int k = 0; k < count; k++)
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Vector512.LoadUnsafe(ref source, (nuint)(k * stride)));
            lowSum += low * low;
            highSum += high * high;
        }

        lowSum.StoreUnsafe(ref accumulators);
        highSum.StoreUnsafe(ref accumulators, 8);
    }
}
