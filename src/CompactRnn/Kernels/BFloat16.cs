using System;

namespace CompactRnn.Kernels;

/// <summary>
/// bfloat16: the upper 16 bits of an IEEE float32 (sign, 8 exponent bits, 7 stored mantissa bits), so it
/// keeps float32's range and p = 8 significant bits. Rounding to nearest, ties to even, gives a relative error
/// of at most the unit roundoff u = 2⁻ᵖ = 2⁻⁸ for every normal value: <c>|bf16(w) − w| ≤ 2⁻⁸·|w|</c> (half a
/// spacing, 2⁻⁸ of the leading power of two; float32's u is 2⁻²⁴ by the same rule).
/// </summary>
internal static class BFloat16
{
    /// <summary>The largest relative rounding error of <see cref="Round"/> on normal values, 2⁻⁸.</summary>
    public const float UnitRoundoff = 1f / 256;

    /// <summary>
    /// The bf16 bits nearest to <paramref name="value"/>, ties to even: add <c>0x7FFF</c> plus the lowest kept
    /// bit to the float32 bits and truncate (the usual integer form of round-to-nearest-even; a carry out of the
    /// mantissa correctly bumps the exponent, up to infinity). NaN stays a quiet NaN.
    /// </summary>
    public static ushort Round(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        uint lowestKeptBit = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFFu + lowestKeptBit) >> 16);
    }

    /// <summary>The float32 value of bf16 <paramref name="bits"/> (exact).</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary><paramref name="value"/> rounded to bf16 and widened back: what a bf16 store keeps of it.</summary>
    public static float RoundTrip(float value) => ToSingle(Round(value));
}
