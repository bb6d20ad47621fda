using System;
using System.Numerics.Tensors;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The dense form of a Toeplitz-like matrix for the large-batch path: the materialisation
/// θ = (G, H) ↦ W (the m×n corner of <c>M = ½ Σ_j Z_1(g_j)·Z_{−1}(J h_j)</c>) and its adjoint, which maps a dense
/// gradient ∂L/∂W onto ∂L/∂G, ∂L/∂H, column by column in O(r·N·n) without allocating. The first column and its
/// adjoint (circular convolutions) are done with FFTs by <see cref="ToeplitzLikeGateMatrix"/>.
/// </summary>
/// <remarks>
/// <para><b>Materialisation.</b> Column 0 is <c>c_0 = ½ Σ_j Z_1(g_j)·J h_j</c>, i.e.
/// <c>c_0[i] = ½ Σ_j Σ_q g_j[(i+1+q) mod N]·h_j[q]</c> (a sum of circular convolutions); the displacement equation <c>Z_1 M − M Z_{−1} = G Hᵀ</c>
/// read column by column gives <c>M e_{k+1} = Z_1 (M e_k) − Σ_j h_j[k]·g_j</c> (as in <see cref="ToeplitzLikeDense"/>).
/// The column is kept in double in a rotating buffer (<c>col_k[i] = buf[(i − k) mod N]</c>), so the shift Z_1 costs
/// nothing and the rank-r update (summed in float, applied in double) is done in place; rounding does not build up
/// over the n columns.</para>
/// <para><b>Adjoint</b> (reverse mode through that recursion, <i>derived and checked</i> against finite differences and
/// against the FFT gradient): with w_k the k-th column of ∂L/∂W zero-padded to N,
/// <c>λ_{n−1} = w_{n−1}</c>, <c>λ_k = w_k + Z_1ᵀ λ_{k+1}</c>; for k &lt; n−1 <c>∂h_j[k] −= ⟨g_j, λ_{k+1}⟩</c> and
/// <c>∂g_j −= h_j[k]·λ_{k+1}</c>; finally, through c_0, <c>∂h_j[q] += ½ Σ_i λ_0[i]·g_j[(i+1+q) mod N]</c> and
/// <c>∂g_j[p] += ½ Σ_i λ_0[i]·h_j[(p−1−i) mod N]</c>. λ lives in a rotating buffer too (<c>λ_k[i] = buf[(i − k) mod N]</c>),
/// so <c>Z_1ᵀ</c> is free. Cost 2·r·N·n multiply-adds plus 1 + 3⌈r/2⌉ FFTs for c_0, once per backward pass.</para>
/// </remarks>
internal static class ToeplitzLikeDenseForm
{
    /// <summary>
    /// Writes <c>dense[i·rowStride + k] = M_ik</c> for i &lt; rows, k &lt; columns, from c_0 = M e_0 already in
    /// <paramref name="column"/> (N doubles, destroyed).
    /// </summary>
    /// <param name="g">G stored [r, N].</param>
    /// <param name="h">H stored [r, N].</param>
    /// <param name="rank">r.</param>
    /// <param name="rows">m ≤ N.</param>
    /// <param name="columns">n ≤ N.</param>
    /// <param name="dense">Destination; only the m×n entries are written.</param>
    /// <param name="rowStride">Floats between rows of <paramref name="dense"/>.</param>
    /// <param name="column">c_0 on entry, N doubles; used as the rotating column.</param>
    /// <param name="update">Scratch of N floats.</param>
    /// <param name="updateWide">Scratch of N doubles.</param>
    public static void WriteColumns(ReadOnlySpan<float> g, ReadOnlySpan<float> h, int rank, int rows, int columns,
        Span<float> dense, int rowStride, Span<double> column, Span<float> update, Span<double> updateWide)
    {
        int size = column.Length;
        for (int k = 0; k < columns; k++)
        {
            // col_k[i] = column[(i − k) mod N].
            int origin = Modulo(-k, size);
            for (int i = 0; i < rows; i++)
            {
                int slot = origin + i;
                dense[(i * rowStride) + k] = (float)column[slot >= size ? slot - size : slot];
            }

            if (k + 1 == columns)
            {
                break;
            }

            // col_{k+1}[i] = col_k[i − 1] − Σ_j h_j[k]·g_j[i]; col_{k+1}[i] sits where col_k[i − 1] was: column[(i − k − 1) mod N].
            update.Clear();
            for (int j = 0; j < rank; j++)
            {
                TensorPrimitives.MultiplyAdd(g.Slice(j * size, size), h[(j * size) + k], update, update);
            }

            TensorPrimitives.ConvertChecked<float, double>(update, updateWide);
            int next = Modulo(-k - 1, size), head = size - next;
            TensorPrimitives.Subtract(column[next..], updateWide[..head], column[next..]);
            TensorPrimitives.Subtract(column[..next], updateWide[head..], column[..next]);
        }
    }

    /// <summary>
    /// The column part of the adjoint of <see cref="WriteColumns"/>: adds the contributions of the recursion to ∂G, ∂H
    /// and leaves λ_0, the adjoint of c_0, in <paramref name="lambda"/>.
    /// </summary>
    /// <param name="g">G stored [r, N].</param>
    /// <param name="h">H stored [r, N].</param>
    /// <param name="rank">r.</param>
    /// <param name="rows">m ≤ N.</param>
    /// <param name="columns">n ≤ N.</param>
    /// <param name="dDense">∂L/∂W_ik at <c>dDense[i·rowStride + k]</c>.</param>
    /// <param name="rowStride">Floats between rows of <paramref name="dDense"/>.</param>
    /// <param name="dG">∂L/∂G [r, N]; added to.</param>
    /// <param name="dH">∂L/∂H [r, N]; added to.</param>
    /// <param name="lambda">N floats, overwritten with λ_0.</param>
    public static void ProjectColumns(ReadOnlySpan<float> g, ReadOnlySpan<float> h, int rank, int rows, int columns,
        ReadOnlySpan<float> dDense, int rowStride, Span<float> dG, Span<float> dH, Span<float> lambda)
    {
        int size = lambda.Length;
        lambda.Clear();
        for (int k = columns - 1; k >= 0; k--)
        {
            if (k < columns - 1)
            {
                // λ_{k+1}[i] = lambda[(i − k − 1) mod N], i.e. λ_{k+1} is lambda rotated by −(k+1).
                int shift = Modulo(-k - 1, size);
                for (int j = 0; j < rank; j++)
                {
                    dH[(j * size) + k] -= RotatedDot(lambda, shift, g.Slice(j * size, size));
                    RotatedMultiplyAdd(lambda, shift, -h[(j * size) + k], dG.Slice(j * size, size));
                }
            }

            // λ_k = w_k + Z_1ᵀ λ_{k+1}: λ_k[i] = lambda[(i − k) mod N] and (Z_1ᵀ λ_{k+1})[i] = λ_{k+1}[i + 1] already sits there.
            int origin = Modulo(-k, size);
            for (int i = 0; i < rows; i++)
            {
                int slot = origin + i;
                lambda[slot >= size ? slot - size : slot] += dDense[(i * rowStride) + k];
            }
        }
    }

    /// <summary>Σ_i v[(i + shift) mod N]·w[i], shift in [0, N).</summary>
    private static float RotatedDot(ReadOnlySpan<float> v, int shift, ReadOnlySpan<float> w)
    {
        int head = v.Length - shift;
        return TensorPrimitives.Dot(v[shift..], w[..head]) + TensorPrimitives.Dot(v[..shift], w[head..]);
    }

    /// <summary>destination[i] += scale·v[(i + shift) mod N], shift in [0, N).</summary>
    private static void RotatedMultiplyAdd(ReadOnlySpan<float> v, int shift, float scale, Span<float> destination)
    {
        int size = v.Length, head = size - shift;
        TensorPrimitives.MultiplyAdd(v[shift..], scale, destination[..head], destination[..head]);
        TensorPrimitives.MultiplyAdd(v[..shift], scale, destination[head..], destination[head..]);
    }

    private static int Modulo(int value, int size)
    {
        int result = value % size;
        return result < 0 ? result + size : result;
    }
}
