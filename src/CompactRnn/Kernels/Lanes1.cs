using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// One float per lane: the tails of the vector kernels and the portable path when no SIMD is accelerated
/// (<c>DOTNET_EnableHWIntrinsic=0</c>).
/// </summary>
internal readonly struct Lanes1 : ILanes<float>
{
    /// <inheritdoc />
    public static int Count => 1;

    /// <inheritdoc />
    public static float Zero => 0f;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ReadOnlySpan<float> source, int index) => source[index];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, Span<float> destination, int index) => destination[index] = value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float left, float right) => left - right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    /// <inheritdoc />
    /// <remarks>Multiply, then add (rounded twice): the scalar lane is also the path without hardware SIMD, where a software
    /// fused form would be slow. Scalar tails of vector kernels therefore round twice where their vector bodies fuse.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float left, float right, float addend) => (left * right) + addend;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    /// <inheritdoc />
    /// <remarks>With one lane the only valid index is 0.</remarks>
    public static float Permute(float value, float indices) => value;

    /// <inheritdoc />
    public static float Select(float mask, float ifSet, float ifClear)
    {
        int bits = BitConverter.SingleToInt32Bits(mask);
        return BitConverter.Int32BitsToSingle((bits & BitConverter.SingleToInt32Bits(ifSet)) | (~bits & BitConverter.SingleToInt32Bits(ifClear)));
    }

    /// <inheritdoc />
    public static float Abs(float value) => MathF.Abs(value);

    /// <inheritdoc />
    public static float GreaterThanOrEqual(float left, float right) => left >= right ? BitConverter.Int32BitsToSingle(-1) : 0f;

    /// <inheritdoc />
    public static float Divide(float left, float right) => left / right;

    /// <inheritdoc />
    public static float SquareRoot(float value) => MathF.Sqrt(value);

    /// <inheritdoc />
    public static float Min(float left, float right) => MathF.Min(left, right);

    /// <inheritdoc />
    public static float Max(float left, float right) => MathF.Max(left, right);

    /// <inheritdoc />
    public static float Round(float value) => MathF.Round(value);

    /// <inheritdoc />
    public static float ScaleByPowerOfTwo(float value, float exponent) => MathF.ScaleB(value, (int)exponent);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out float low, out float high)
    {
        uint pair = Unsafe.Add(ref source, offset);
        low = BitConverter.UInt32BitsToSingle(pair << 16);
        high = BitConverter.UInt32BitsToSingle(pair & 0xFFFF0000u);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAddBytes(float unsignedBytes, float signedBytes, float addend)
    {
        uint u = BitConverter.SingleToUInt32Bits(unsignedBytes), s = BitConverter.SingleToUInt32Bits(signedBytes);
        int sum = BitConverter.SingleToInt32Bits(addend);
        for (int k = 0; k < 32; k += 8)
        {
            sum += (int)((u >> k) & 0xFF) * (sbyte)(s >> k);
        }

        return BitConverter.Int32BitsToSingle(sum);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> SumInt32(float first, float second, float third, float fourth)
        => Vector128.Create(BitConverter.SingleToInt32Bits(first), BitConverter.SingleToInt32Bits(second), BitConverter.SingleToInt32Bits(third), BitConverter.SingleToInt32Bits(fourth));

    /// <inheritdoc />
    public static float PackBytes(float first, float second, float third, float fourth)
        => BitConverter.UInt32BitsToSingle((uint)first | ((uint)second << 8) | ((uint)third << 16) | ((uint)fourth << 24));

    /// <inheritdoc />
    public static void AddWidenedSquares(ref float source, nint stride, int count, ref double accumulators)
    {
        double sum = accumulators;
        for (int k = 0; k < count; k++)
        {
            double x = Unsafe.Add(ref source, k * stride);
            sum += x * x;
        }

        accumulators = sum;
    }
}
