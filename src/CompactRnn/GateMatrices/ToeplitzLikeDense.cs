using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The dense m×n corner of <c>M = ½ Σ_j Z_1(g_j)·Z_{−1}(J h_j)</c> (N×N), in double, in O(r·N²):
/// the first column is <c>½ Σ_j Z_1(g_j)·(J h_j)</c>, and the displacement equation
/// <c>Z_1 M − M Z_{−1} = G Hᵀ</c> read column by column (<c>M Z_{−1} e_k = M e_{k+1}</c> for k &lt; N−1) gives
/// <c>M e_{k+1} = Z_1 (M e_k) − Σ_j h_j[k]·g_j</c>, a cyclic shift and a rank-r update per column.
/// The shift is a permutation, so rounding errors only add up linearly.
/// </summary>
internal static class ToeplitzLikeDense
{
    /// <summary>Writes <c>dense[i·n + k] = M_ik</c> for i &lt; m, k &lt; n.</summary>
    /// <param name="g">G stored [r, N] (row j is g_j).</param>
    /// <param name="h">H stored [r, N].</param>
    /// <param name="rank">r.</param>
    /// <param name="size">N.</param>
    /// <param name="rows">m ≤ N.</param>
    /// <param name="columns">n ≤ N.</param>
    /// <param name="dense">[m, n], overwritten.</param>
    public static void Write(ReadOnlySpan<float> g, ReadOnlySpan<float> h, int rank, int size, int rows, int columns, Span<float> dense)
    {
        double[] column = new double[size];
        double[] next = new double[size];
        for (int j = 0; j < rank; j++)
        {
            ReadOnlySpan<float> gj = g.Slice(j * size, size), hj = h.Slice(j * size, size);
            for (int i = 0; i < size; i++)
            {
                // (Z_1(g_j)·J h_j)_i = Σ_l g_j[(i − l) mod N]·h_j[N − 1 − l]
                double sum = 0;
                for (int l = 0; l < size; l++)
                {
                    int gi = i - l < 0 ? i - l + size : i - l;
                    sum += (double)gj[gi] * hj[size - 1 - l];
                }

                column[i] += 0.5 * sum;
            }
        }

        for (int k = 0; k < columns; k++)
        {
            for (int i = 0; i < rows; i++)
            {
                dense[(i * columns) + k] = (float)column[i];
            }

            if (k + 1 == columns)
            {
                break;
            }

            // M e_{k+1} = Z_1 (M e_k) − Σ_j h_j[k]·g_j, with (Z_1 v)_i = v_{(i−1) mod N}.
            next[0] = column[size - 1];
            Array.Copy(column, 0, next, 1, size - 1);
            for (int j = 0; j < rank; j++)
            {
                double coefficient = h[(j * size) + k];
                ReadOnlySpan<float> gj = g.Slice(j * size, size);
                for (int i = 0; i < size; i++)
                {
                    next[i] -= coefficient * gj[i];
                }
            }

            (column, next) = (next, column);
        }
    }
}
