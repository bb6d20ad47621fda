using System;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix stored as bf16 (<see cref="BFloat16"/>), packed once for the streaming GEMV
/// <c>y += W·x</c>, which is memory-bound at batch 1: half the bytes of float32 per step.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> The layout of <see cref="PackedStreamingMatrix{TElement, TPairs}"/> with a pair of L
/// weights per 32-bit word: lane j of a row's pair holds column j in its low half and column L + j in its high half.
/// One vector load then yields 2L weights, widened to float32 by a shift (low halves) and a mask (high halves) and
/// multiplied by two contiguous vectors of x, with no shuffles.</para>
/// <para><b>Arithmetic.</b> Products and sums are float32 (fused multiply-add); only the weights are
/// rounded, each by a relative error ≤ 2⁻⁸, so <c>|Δy_i| ≤ 2⁻⁸·Σ_p |W_ip|·|x_p|</c> plus float32 summation error.</para>
/// </remarks>
internal sealed class BFloat16Matrix : PackedStreamingMatrix<uint, BFloat16Pairs>
{
    /// <summary>Packs [left | right] row by row, rounding every weight to bf16.</summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public BFloat16Matrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
        : base(rows, left, leftColumns, right, rightColumns, lanes)
    {
    }
}
