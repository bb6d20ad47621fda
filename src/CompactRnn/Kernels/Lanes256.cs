using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompactRnn.Kernels;

/// <summary>256-bit lanes of 8 floats (<see cref="Vector256{T}"/>).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    /// <summary>True when the hardware runs 256-bit vectors natively.</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc />
    public static int Count => 8;

    /// <inheritdoc />
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source, int index)
    {
        Debug.Assert(index >= 0 && index + 8 <= source.Length);
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, Span<float> destination, int index)
    {
        Debug.Assert(index >= 0 && index + 8 <= destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.MultiplyAddEstimate(left, right, addend);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Permute(Vector256<float> value, Vector256<float> indices) => Vector256.ShuffleNative(value, indices.AsInt32());

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> ifClear) => Vector256.ConditionalSelect(mask, ifSet, ifClear);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThanOrEqual(Vector256<float> left, Vector256<float> right) => Vector256.GreaterThanOrEqual(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SquareRoot(Vector256<float> value) => Vector256.Sqrt(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> left, Vector256<float> right) => Vector256.Min(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> left, Vector256<float> right) => Vector256.Max(left, right);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> value) => Vector256.Round(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> value, Vector256<float> exponent)
        => (value.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(exponent), 23)).AsSingle();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector256<float> low, out Vector256<float> high)
    {
        Vector256<uint> pairs = Vector256.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector256.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAddBytes(Vector256<float> unsignedBytes, Vector256<float> signedBytes, Vector256<float> addend)
    {
        if (AvxVnni.IsSupported)
        {
            return AvxVnni.MultiplyWideningAndAdd(addend.AsInt32(), unsignedBytes.AsByte(), signedBytes.AsSByte()).AsSingle();
        }

        if (Avx2.IsSupported)
        {
            Vector256<short> pairs = Avx2.MultiplyAddAdjacent(unsignedBytes.AsByte(), signedBytes.AsSByte());
            return (Avx2.MultiplyAddAdjacent(pairs, Vector256<short>.One) + addend.AsInt32()).AsSingle();
        }

        (Vector256<ushort> uLow, Vector256<ushort> uHigh) = Vector256.Widen(unsignedBytes.AsByte());
        (Vector256<short> sLow, Vector256<short> sHigh) = Vector256.Widen(signedBytes.AsSByte());
        (Vector256<int> a, Vector256<int> b) = Vector256.Widen(uLow.AsInt16() * sLow);
        (Vector256<int> c, Vector256<int> d) = Vector256.Widen(uHigh.AsInt16() * sHigh);
        return (addend.AsInt32() + (a + b) + (c + d)).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> SumInt32(Vector256<float> first, Vector256<float> second, Vector256<float> third, Vector256<float> fourth)
    {
        if (!Avx2.IsSupported)
        {
            return Vector128.Create(Vector256.Sum(first.AsInt32()), Vector256.Sum(second.AsInt32()), Vector256.Sum(third.AsInt32()), Vector256.Sum(fourth.AsInt32()));
        }

        // Per 128-bit chunk: [a0+a2, b0+b2, a1+a3, b1+b3], then [a, b, c, d] partial sums; then the two chunks.
        Vector256<int> a = first.AsInt32(), b = second.AsInt32(), c = third.AsInt32(), d = fourth.AsInt32();
        Vector256<long> ab = (Avx2.UnpackLow(a, b) + Avx2.UnpackHigh(a, b)).AsInt64(), cd = (Avx2.UnpackLow(c, d) + Avx2.UnpackHigh(c, d)).AsInt64();
        Vector256<int> sums = Avx2.UnpackLow(ab, cd).AsInt32() + Avx2.UnpackHigh(ab, cd).AsInt32();
        return sums.GetLower() + sums.GetUpper();
    }

    /// <inheritdoc />
    public static Vector256<float> PackBytes(Vector256<float> first, Vector256<float> second, Vector256<float> third, Vector256<float> fourth)
    {
        Vector256<ushort> low = Vector256.Narrow(Vector256.ConvertToUInt32(first), Vector256.ConvertToUInt32(second));
        Vector256<ushort> high = Vector256.Narrow(Vector256.ConvertToUInt32(third), Vector256.ConvertToUInt32(fourth));
        return Vector256.Narrow(low, high).AsSingle();
    }

    /// <inheritdoc />
    public static void AddWidenedSquares(ref float source, nint stride, int count, ref double accumulators)
    {
        Vector256<double> lowSum = Vector256.LoadUnsafe(ref accumulators), highSum = Vector256.LoadUnsafe(ref accumulators, 4);
        for (int k = 0; k < count; k++)
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)(k * stride)));
            lowSum += low * low;
            highSum += high * high;
        }

        lowSum.StoreUnsafe(ref accumulators);
        highSum.StoreUnsafe(ref accumulators, 4);
    }
}
