using System;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>Finds NaN and ±∞ in losses, activations and gradients.</summary>
public static class NonFiniteDetector
{
    /// <summary>
    /// The index of the first element that is NaN or ±∞, or −1 when every element is finite. The common
    /// all-finite case is one vectorised pass (<see cref="TensorPrimitives.IsFiniteAll{T}"/>); only a
    /// failing span is scanned again for the index.
    /// </summary>
    /// <param name="values">The values to check; empty gives −1.</param>
    public static int FindNonFinite(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>true when every element is finite (no NaN, no ±∞).</summary>
    /// <param name="values">The values to check; empty gives true.</param>
    public static bool AreAllFinite(ReadOnlySpan<float> values) => TensorPrimitives.IsFiniteAll(values);
}
