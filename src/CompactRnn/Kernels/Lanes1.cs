using System;

namespace CompactRnn.Kernels;

/// <summary>The scalar fallback: one float per lane, used for tails and when no vector hardware is enabled.</summary>
internal readonly struct Lanes1 : ILanes<float>
{
    /// <inheritdoc />
    public static int Count => 1;

    /// <inheritdoc />
    public static float Load(ReadOnlySpan<float> source, int index) => source[index];

    /// <inheritdoc />
    public static void Store(float value, Span<float> destination, int index) => destination[index] = value;

    /// <inheritdoc />
    public static float Broadcast(float value) => value;

    /// <inheritdoc />
    public static float Add(float left, float right) => left + right;

    /// <inheritdoc />
    public static float Subtract(float left, float right) => left - right;

    /// <inheritdoc />
    public static float Multiply(float left, float right) => left * right;

    /// <inheritdoc />
    public static float MultiplyAdd(float a, float b, float c) => (a * b) + c; // unfused: no software FMA call when intrinsics are off

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
    public static float Min(float left, float right) => MathF.Min(left, right);

    /// <inheritdoc />
    public static float Max(float left, float right) => MathF.Max(left, right);

    /// <inheritdoc />
    public static float Round(float value) => MathF.Round(value);

    /// <inheritdoc />
    public static float ScaleByPowerOfTwo(float value, float exponent) => MathF.ScaleB(value, (int)exponent);
}
