using System;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>
/// Global-norm gradient clipping (Pascanu, Mikolov and Bengio, "On the difficulty of training recurrent
/// neural networks", 2013): when <c>‖g‖₂ &gt; c</c> the whole gradient is rescaled to <c>g · c / ‖g‖₂</c>.
/// </summary>
/// <remarks>
/// The squared norm is accumulated in double with a fixed summation order (16 double lanes over blocks
/// of 16 floats, a fixed pairwise reduction, then the tail; see <see cref="SumOfSquaresKernel"/>),
/// independent of the machine's vector width, so the same gradient gives the same norm bits on every
/// machine. Each square of a float is exact in double.
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
    internal static double SumOfSquares(ReadOnlySpan<float> values) => SumOfSquaresKernel.Compute(values);
}
