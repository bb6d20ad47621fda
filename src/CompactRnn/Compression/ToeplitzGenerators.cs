using System;
using CompactRnn.GateMatrices;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Compression;

/// <summary>
/// Toeplitz-like generators in double, in the storage of <see cref="ToeplitzLikeGateMatrix"/>: one
/// buffer [2r, N], G's rows g_j then H's rows h_j. The dense form M (N×N, of which a gate matrix uses the m×n top-left
/// corner) is the unique solution of <c>Z_1 M − M Z_{−1} = G Hᵀ</c> (docs/math.md §6), which
/// <see cref="Solve"/> computes in O(N²) along the operator's chains (§14.2); <see cref="PullBack"/> is the adjoint.
/// </summary>
internal static class ToeplitzGenerators
{
    /// <summary>
    /// The generators of the rank-k truncated SVD <c>W_k = A Bᵀ</c> of <paramref name="dense"/> (m×n, embedded top-left
    /// in N×N zeros), at displacement rank <paramref name="rank"/> with k = min(⌊r/2⌋, m, n):
    /// <c>G = [Z_1 Ã, −Ã]</c>, <c>H = [B̃, Z_{−1}ᵀ B̃]</c>, so <c>G Hᵀ = Z_1 W̃_k − W̃_k Z_{−1}</c> exactly and M = W̃_k.
    /// The factors are balanced (A = U_k Σ_k^{½}, B = V_k Σ_k^{½}); generators beyond 2k are 0.
    /// </summary>
    public static double[] Exact(Matrix<double> dense, int rank, int size)
    {
        int m = dense.RowCount, n = dense.ColumnCount;
        int k = Math.Min(rank / 2, Math.Min(m, n));
        double[] parameters = new double[2 * rank * size];
        if (k == 0)
        {
            return parameters;
        }

        (Matrix<double> left, Matrix<double> right) = ThinSvd.Of(dense).BalancedFactors(k); // A (m×k), Bᵀ (k×n)
        int hOffset = rank * size;
        for (int j = 0; j < k; j++)
        {
            // g_j = Z_1 ã_j: (Z_1 v)_i = v_{(i−1) mod N}; g_{k+j} = −ã_j.
            for (int i = 0; i < m; i++)
            {
                double a = left[i, j];
                parameters[(j * size) + ((i + 1) % size)] = a;
                parameters[((k + j) * size) + i] = -a;
            }

            // h_j = b̃_j; h_{k+j} = Z_{−1}ᵀ b̃_j: (Z_{−1}ᵀ v)_i = v_{i+1} for i < N−1 and −v_0 for i = N−1.
            for (int i = 0; i < n; i++)
            {
                double b = right[j, i];
                parameters[hOffset + (j * size) + i] = b;
                int shifted = i == 0 ? size - 1 : i - 1;
                parameters[hOffset + ((k + j) * size) + shifted] = i == 0 ? -b : b;
            }
        }

        return parameters;
    }

    /// <summary>The m×n top-left corner of M, row-major, from generators [2r, N].</summary>
    public static double[] Solve(ReadOnlySpan<double> parameters, int rank, int size, int rows, int columns)
    {
        double[] displacement = Displacement(parameters, rank, size);
        double[] full = new double[size * size];
        for (int a = 0; a < size; a++)
        {
            // The chain through (a, 0): M_{a+s, s} = M_{a,0} − Σ_{t<s} L_{a+t+1, t} (rows mod N); going once round
            // the skew wrap-around gives −M_{a,0} = M_{a,0} − Σ_{t<N} L_{a+t+1, t}, so M_{a,0} = ½ of the full sum.
            double total = 0;
            for (int t = 0; t < size; t++)
            {
                total += displacement[(((a + t + 1) % size) * size) + t];
            }

            double value = 0.5 * total;
            for (int s = 0; s < size; s++)
            {
                full[(((a + s) % size) * size) + s] = value;
                value -= displacement[(((a + s + 1) % size) * size) + s];
            }
        }

        if (rows == size && columns == size)
        {
            return full;
        }

        double[] corner = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            Array.Copy(full, i * size, corner, i * columns, columns);
        }

        return corner;
    }

    /// <summary>
    /// ∂f/∂(G, H) [2r, N] from ∂f/∂M of the m×n corner (row-major): the adjoint of <see cref="Solve"/> gives ∂f/∂L,
    /// then ∂f/∂g_j = (∂f/∂L) h_j and ∂f/∂h_j = (∂f/∂L)ᵀ g_j.
    /// </summary>
    public static double[] PullBack(ReadOnlySpan<double> parameters, int rank, int size, ReadOnlySpan<double> dCorner, int rows, int columns)
    {
        double[] dFull = new double[size * size];
        for (int i = 0; i < rows; i++)
        {
            dCorner.Slice(i * columns, columns).CopyTo(dFull.AsSpan(i * size, columns));
        }

        double[] dDisplacement = new double[size * size];
        for (int a = 0; a < size; a++)
        {
            // L_{a+t+1, t} enters M_{a,0} with ½ and every later entry of the chain via ½ (through M_{a,0}) and −1 for s > t.
            double chain = 0;
            for (int s = 0; s < size; s++)
            {
                chain += dFull[(((a + s) % size) * size) + s];
            }

            double suffix = 0; // Σ_{s>t} ∂f/∂M_{a+s, s}
            for (int t = size - 1; t >= 0; t--)
            {
                dDisplacement[(((a + t + 1) % size) * size) + t] = (0.5 * chain) - suffix;
                suffix += dFull[(((a + t) % size) * size) + t];
            }
        }

        double[] gradient = new double[2 * rank * size];
        int hOffset = rank * size;
        for (int j = 0; j < rank; j++)
        {
            ReadOnlySpan<double> g = parameters.Slice(j * size, size), h = parameters.Slice(hOffset + (j * size), size);
            Span<double> dg = gradient.AsSpan(j * size, size), dh = gradient.AsSpan(hOffset + (j * size), size);
            for (int i = 0; i < size; i++)
            {
                ReadOnlySpan<double> row = dDisplacement.AsSpan(i * size, size);
                double sum = 0;
                double gi = g[i];
                for (int k = 0; k < size; k++)
                {
                    sum += row[k] * h[k];
                    dh[k] += row[k] * gi;
                }

                dg[i] = sum;
            }
        }

        return gradient;
    }

    /// <summary>L = G Hᵀ = Σ_j g_j h_jᵀ, N×N row-major.</summary>
    private static double[] Displacement(ReadOnlySpan<double> parameters, int rank, int size)
    {
        double[] displacement = new double[size * size];
        for (int j = 0; j < rank; j++)
        {
            ReadOnlySpan<double> g = parameters.Slice(j * size, size), h = parameters.Slice((rank + j) * size, size);
            for (int i = 0; i < size; i++)
            {
                double gi = g[i];
                if (gi == 0)
                {
                    continue;
                }

                Span<double> row = displacement.AsSpan(i * size, size);
                for (int k = 0; k < size; k++)
                {
                    row[k] += gi * h[k];
                }
            }
        }

        return displacement;
    }
}
