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
    /// <remarks>With one lane the lower half of the interleave is a.</remarks>
    public static float InterleaveLower(float a, float b) => a;

    /// <inheritdoc />
    public static float InterleaveUpper(float a, float b) => b;
}
