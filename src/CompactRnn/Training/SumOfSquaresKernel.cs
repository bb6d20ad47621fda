using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Training;

/// <summary>
/// <c>Σ xᵢ²</c> of a float span accumulated in double with one summation order on every machine: element
/// <c>i</c> of each block of 16 goes to double lane <c>i mod 16</c>, the 16 lanes are reduced by a fixed
/// pairwise tree, then the tail (fewer than 16 elements) is added in order. Each square of a float is
/// exact in double, so every width path (512, 256, 128 bits, scalar) returns the same bits; they differ
/// only in speed.
/// </summary>
internal static class SumOfSquaresKernel
{
    /// <summary>Block length and number of double lanes.</summary>
    public const int Lanes = 16;

    /// <summary>Dispatches to the widest accelerated path.</summary>
    public static double Compute(ReadOnlySpan<float> values)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512Path(values);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Vector256Path(values);
        }

        return Vector128.IsHardwareAccelerated ? Vector128Path(values) : ScalarPath(values);
    }

    /// <summary>Two 8-lane accumulators.</summary>
    internal static double Vector512Path(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        var lanes0 = Vector512<double>.Zero; // lanes 0–7
        var lanes1 = Vector512<double>.Zero; // lanes 8–15
        int i = 0;
        for (int last = values.Length - Lanes; i <= last; i += Lanes)
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Vector512.LoadUnsafe(ref start, (nuint)i));
            lanes0 += low * low;
            lanes1 += high * high;
        }

        Span<double> lanes = stackalloc double[Lanes];
        lanes0.CopyTo(lanes);
        lanes1.CopyTo(lanes[8..]);
        return Finish(lanes, values[i..]);
    }

    /// <summary>Four 4-lane accumulators.</summary>
    internal static double Vector256Path(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        var lanes0 = Vector256<double>.Zero;
        var lanes1 = Vector256<double>.Zero;
        var lanes2 = Vector256<double>.Zero;
        var lanes3 = Vector256<double>.Zero;
        int i = 0;
        for (int last = values.Length - Lanes; i <= last; i += Lanes)
        {
            (Vector256<double> a, Vector256<double> b) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
            (Vector256<double> c, Vector256<double> d) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)(i + 8)));
            lanes0 += a * a;
            lanes1 += b * b;
            lanes2 += c * c;
            lanes3 += d * d;
        }

        Span<double> lanes = stackalloc double[Lanes];
        lanes0.CopyTo(lanes);
        lanes1.CopyTo(lanes[4..]);
        lanes2.CopyTo(lanes[8..]);
        lanes3.CopyTo(lanes[12..]);
        return Finish(lanes, values[i..]);
    }

    /// <summary>Eight 2-lane accumulators.</summary>
    internal static double Vector128Path(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        Span<double> lanes = stackalloc double[Lanes];
        var accumulators = new Accumulators128();
        int i = 0;
        for (int last = values.Length - Lanes; i <= last; i += Lanes)
        {
            for (int quarter = 0; quarter < 4; quarter++)
            {
                (Vector128<double> low, Vector128<double> high) = Vector128.Widen(Vector128.LoadUnsafe(ref start, (nuint)(i + 4 * quarter)));
                accumulators[2 * quarter] += low * low;
                accumulators[2 * quarter + 1] += high * high;
            }
        }

        for (int k = 0; k < 8; k++)
        {
            accumulators[k].CopyTo(lanes[(2 * k)..]);
        }

        return Finish(lanes, values[i..]);
    }

    /// <summary>The reference order, one double per lane.</summary>
    internal static double ScalarPath(ReadOnlySpan<float> values)
    {
        Span<double> lanes = stackalloc double[Lanes];
        lanes.Clear();
        int i = 0;
        for (int last = values.Length - Lanes; i <= last; i += Lanes)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                double x = values[i + lane];
                lanes[lane] += x * x;
            }
        }

        return Finish(lanes, values[i..]);
    }

    /// <summary>Pairwise tree over the 16 lanes (in place), then the tail in order.</summary>
    private static double Finish(Span<double> lanes, ReadOnlySpan<float> tail)
    {
        Debug.Assert(lanes.Length == Lanes && tail.Length < Lanes);
        for (int width = Lanes / 2; width >= 1; width /= 2)
        {
            for (int lane = 0; lane < width; lane++)
            {
                lanes[lane] += lanes[lane + width];
            }
        }

        double sum = lanes[0];
        foreach (float value in tail)
        {
            double x = value;
            sum += x * x;
        }

        return sum;
    }

    /// <summary>Eight Vector128 accumulators kept in registers or on the stack.</summary>
    [InlineArray(8)]
    private struct Accumulators128
    {
        private Vector128<double> _element;
    }
}
