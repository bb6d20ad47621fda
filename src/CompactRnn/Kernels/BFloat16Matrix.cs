using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CompactRnn.Kernels;

/// <summary>
/// An immutable m×n matrix stored as bf16 (<see cref="BFloat16"/>), packed once for the streaming GEMV
/// <c>y += W·x</c>, which is memory-bound at batch 1: half the bytes of float32 per step.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Rows in groups of four (zero rows pad the last group), columns in blocks of 2L
/// (L = float lanes of the chosen width; zero columns pad the last block). For group g, block b, row q of the
/// group, lane j: the 32-bit word at <c>((g·blocks + b)·4 + q)·L + j</c> holds <c>W[4g+q, 2Lb+j]</c> in its low
/// half and <c>W[4g+q, 2Lb+L+j]</c> in its high half. One vector load then yields 2L weights, widened to float32
/// by a shift (low halves) and a mask (high halves) and multiplied by two contiguous vectors of x, so no
/// shuffles; and the whole matrix is one sequential stream, which the hardware prefetcher follows.</para>
/// <para><b>Arithmetic.</b> Products and sums are float32 (fused multiply-add); only the weights are
/// rounded, each by a relative error ≤ 2⁻⁸, so <c>|Δy_i| ≤ 2⁻⁸·Σ_p |W_ip|·|x_p|</c> plus float32 summation error.</para>
/// </remarks>
internal sealed class BFloat16Matrix : IStreamingMatrix
{
    private readonly uint[] _packed;
    private readonly int _blocks;

    /// <summary>
    /// Packs row i of W = the concatenation of row i of <paramref name="left"/> (m × leftColumns, row-major) and
    /// row i of <paramref name="right"/> (m × rightColumns; empty when rightColumns is 0), rounding to bf16.
    /// </summary>
    /// <param name="rows">m, at least 1.</param>
    /// <param name="left">The first columns of every row, row-major.</param>
    /// <param name="leftColumns">Columns of <paramref name="left"/>.</param>
    /// <param name="right">The remaining columns of every row, row-major, or empty.</param>
    /// <param name="rightColumns">Columns of <paramref name="right"/>; n = leftColumns + rightColumns ≥ 1.</param>
    /// <param name="lanes">Float lanes of the kernel width (16, 8, 4 or 1); 0 picks the widest accelerated.</param>
    public BFloat16Matrix(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(rightColumns, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(leftColumns + rightColumns, 1, nameof(rightColumns));
        SpanGuard.RequireLength(left.Length, rows * leftColumns, nameof(left));
        SpanGuard.RequireLength(right.Length, rows * rightColumns, nameof(right));
        Lanes = lanes == 0 ? PackedGemv.WidestLanes() : lanes;
        if (Lanes is not (16 or 8 or 4 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Expected 16, 8, 4 or 1 lanes (or 0 for the widest accelerated).");
        }

        Rows = rows;
        Columns = leftColumns + rightColumns;
        int blockWidth = 2 * Lanes;
        _blocks = (Columns + blockWidth - 1) / blockWidth;
        PaddedColumns = _blocks * blockWidth;
        int groups = (rows + 3) / 4;
        _packed = new uint[checked(groups * _blocks * 4 * Lanes)];
        for (int i = 0; i < rows; i++)
        {
            int rowBase = (i / 4 * _blocks * 4) + (i % 4);
            for (int p = 0; p < Columns; p++)
            {
                float value = p < leftColumns ? left[(i * leftColumns) + p] : right[(i * rightColumns) + p - leftColumns];
                int block = p / blockWidth, within = p % blockWidth;
                int word = ((rowBase + (block * 4)) * Lanes) + (within % Lanes);
                _packed[word] |= (uint)BFloat16.Round(value) << (within >= Lanes ? 16 : 0);
            }
        }
    }

    /// <summary>m.</summary>
    public int Rows { get; }

    /// <summary>n (both parts together).</summary>
    public int Columns { get; }

    /// <summary>The length x must have: n rounded up to a whole block; entries past n must be zero (finite).</summary>
    public int PaddedColumns { get; }

    /// <summary>Float lanes of the packing and kernel width.</summary>
    public int Lanes { get; }

    /// <summary>Bytes of packed weights (what one product streams from memory).</summary>
    public long Bytes => _packed.LongLength * sizeof(uint);

    /// <summary><c>y[i] += Σ_p W[i, p]·x[p]</c> for i &lt; m, at the packed width.</summary>
    /// <param name="x"><see cref="PaddedColumns"/> floats, zero past <see cref="Columns"/>.</param>
    /// <param name="y">At least m floats; added to.</param>
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length >= PaddedColumns && y.Length >= Rows);
        PackedGemv.MultiplyAdd<uint, BFloat16Pairs>(Lanes, ref MemoryMarshal.GetArrayDataReference(_packed),
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), Rows, PaddedColumns);
    }
}
