using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace CompactRnn.Training;

/// <summary>
/// Global-norm gradient clipping (Pascanu, Mikolov and Bengio, "On the difficulty of training recurrent
/// neural networks", 2013): when <c>‖g‖₂ &gt; c</c> the whole gradient is rescaled to <c>g · c / ‖g‖₂</c>.
/// </summary>
/// <remarks>
/// The squared norm is accumulated in double with a fixed summation order (eight double lanes over
/// blocks of eight floats, lanes combined in a fixed order, then the scalar tail), independent of the
/// machine's vector width, so the same gradient gives the same norm bits on every machine. Each square
/// of a float is exact in double.
/// </remarks>
public static class GradientClipping
{
    /// <summary>
    /// Computes <c>‖g‖₂</c> and, when it exceeds <paramref name="maxNorm"/>, scales the gradient in place by
    /// <c>maxNorm / ‖g‖₂</c>. A non-finite norm leaves the gradient untouched (detect it and skip the step).
    /// </summary>
    /// <param name="gradients">The flat gradient, modified in place when clipped.</param>
    /// <param name="maxNorm">c &gt; 0; <see cref="float.PositiveInfinity"/> computes the norm only.</param>
    /// <returns>The norm before clipping (NaN or ∞ if an element is not finite).</returns>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be above 0.");
        }

        double norm = GlobalNorm(gradients);
        if (double.IsFinite(norm) && norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / norm), gradients);
        }

        return (float)norm;
    }

    /// <summary>The Euclidean norm <c>√(Σ gᵢ²)</c>, accumulated in double in a fixed order.</summary>
    /// <param name="values">Any span; empty gives 0.</param>
    public static double GlobalNorm(ReadOnlySpan<float> values) => Math.Sqrt(SumOfSquares(values));

    /// <summary><c>Σ xᵢ²</c> in double, in the fixed order described on the class.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        const int Block = 8;
        var sum0 = Vector128<double>.Zero;
        var sum1 = Vector128<double>.Zero;
        var sum2 = Vector128<double>.Zero;
        var sum3 = Vector128<double>.Zero;
        int i = 0;
        for (int last = values.Length - Block; i <= last; i += Block)
        {
            (Vector128<double> a, Vector128<double> b) = Vector128.Widen(Vector128.Create(values.Slice(i, 4)));
            (Vector128<double> c, Vector128<double> d) = Vector128.Widen(Vector128.Create(values.Slice(i + 4, 4)));
            sum0 += a * a;
            sum1 += b * b;
            sum2 += c * c;
            sum3 += d * d;
        }

        Vector128<double> total = (sum0 + sum1) + (sum2 + sum3);
        double sum = total.GetElement(0) + total.GetElement(1);
        for (; i < values.Length; i++)
        {
            double x = values[i];
            sum += x * x;
        }

        return sum;
    }
}
