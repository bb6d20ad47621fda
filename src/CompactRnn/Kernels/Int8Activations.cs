using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// Rounds the input vector of one int8 product to unsigned 7-bit integers with one step and one offset:
/// <c>a_p = round((x_p − lo)/σ)</c> ∈ [0, 127], <c>lo = min_p x_p</c>, <c>σ = (max_p x_p − lo)/127</c>, so that
/// <c>x̂_p = lo + σ·a_p</c> is within <c>(σ/2)(1 + 10⁻⁴)</c> of x_p (see <see cref="Int8Matrix"/> and docs/math.md §15).
/// </summary>
/// <remarks>
/// Seven bits, not eight: the integer kernel sums adjacent products u·q in 16 bits (VPMADDUBSW), and
/// 2·127·127 = 32,258 fits where 2·255·127 would saturate. The offset lo is a float, not an integer zero point: the
/// kernel adds <c>lo·Σ_p q_ip</c> back per row, so no value of x needs to be exact. Only Subtract, Multiply, Round and
/// Min run per lane (each correctly rounded), so every width gives the same bytes.
/// </remarks>
internal static class Int8Activations
{
    /// <summary>The largest integer an input becomes.</summary>
    public const int Levels = 127;

    /// <summary>
    /// Writes a_p for p &lt; x.Length to <paramref name="bytes"/> and zeros after it (the kernel's last partial block
    /// reads them).
    /// </summary>
    /// <returns>False when x holds a non-finite value or its range overflows float32 (nothing is written then).</returns>
    public static bool Quantize<TL, TV>(ReadOnlySpan<float> x, Span<byte> bytes, out float low, out float step)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        low = TensorPrimitives.Min(x); // NaN if any entry is NaN
        float high = TensorPrimitives.Max(x), range = high - low;
        step = range / Levels;
        if (!float.IsFinite(range))
        {
            return false;
        }

        // A constant vector gets step 0 and every a_p = 0: x̂_p = lo exactly.
        float inverse = range > 0 ? Levels / range : 0f;
        int n = x.Length, chunk = 4 * TL.Count, p = 0;
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float destination = ref Unsafe.As<byte, float>(ref MemoryMarshal.GetReference(bytes));
        TV lowLanes = TL.Broadcast(low), inverseLanes = TL.Broadcast(inverse), top = TL.Broadcast(Levels);
        for (; p + chunk <= n; p += chunk)
        {
            TV first = Level<TL, TV>(TL.Load(ref source, p), lowLanes, inverseLanes, top);
            TV second = Level<TL, TV>(TL.Load(ref source, p + TL.Count), lowLanes, inverseLanes, top);
            TV third = Level<TL, TV>(TL.Load(ref source, p + (2 * TL.Count)), lowLanes, inverseLanes, top);
            TV fourth = Level<TL, TV>(TL.Load(ref source, p + (3 * TL.Count)), lowLanes, inverseLanes, top);
            TL.Store(TL.PackBytes(first, second, third, fourth), ref destination, p / 4);
        }

        for (; p < n; p++)
        {
            bytes[p] = (byte)Math.Min(MathF.Round((x[p] - low) * inverse), Levels); // the same three roundings as a lane
        }

        bytes[n..].Clear();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Level<TL, TV>(TV x, TV low, TV inverse, TV top)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.Min(TL.Round(TL.Multiply(TL.Subtract(x, low), inverse)), top);
}
