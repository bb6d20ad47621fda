using System;
using System.Collections.Generic;

namespace CompactRnn.Compression;

/// <summary>
/// One layer's activation fit (docs/math.md §14.2): the Toeplitz-like matrices of the layer's gate pre-activation
/// <c>a_t = Σ_b M_b z_{b,t}</c> (b ∈ {W_x, W_r}, z_t = [x_t; r_{t−1}]) minimise
/// <c>f = Σ_t ‖Σ_b (M_b − W_b) z_{b,t}‖² / Σ_t ‖W z_t‖² = tr(Δ C Δᵀ) / tr(W C Wᵀ)</c> with Δ = [M_x − W_x, M_r − W_r]
/// and C = Σ_t z_t z_tᵀ, by L-BFGS on the generators. A block that is not refitted has Δ_b = 0.
/// </summary>
internal static class ActivationFit
{
    /// <summary>Fits the blocks' generators in place; returns f before and after.</summary>
    /// <param name="blocks">The layer's gate matrices in the order of z (W_x then W_r); <see cref="Block.Generators"/>
    /// of fitted blocks are the start and are overwritten with the result.</param>
    /// <param name="moment">C, p×p row-major, p = Σ_b n_b.</param>
    /// <param name="rows">m = 4n_c, the rows of every block.</param>
    /// <param name="maxIterations">L-BFGS iterations.</param>
    public static (double Before, double After) Fit(IReadOnlyList<Block> blocks, double[] moment, int rows, int maxIterations)
    {
        int p = 0;
        int parameterCount = 0;
        foreach (Block block in blocks)
        {
            p += block.Target.Length / rows;
            parameterCount += block.Generators?.Length ?? 0;
        }

        double scale = Energy(blocks, moment, rows, p);
        if (!(scale > 0))
        {
            return (0, 0); // no signal: any generators give a zero residual
        }

        double[] start = new double[parameterCount];
        int offset = 0;
        foreach (Block block in blocks)
        {
            if (block.Generators is { } g)
            {
                g.CopyTo(start, offset);
                offset += g.Length;
            }
        }

        double[] residual = new double[rows * p];
        double[] weighted = new double[rows * p];
        double Objective(double[] theta, double[] gradient)
        {
            // Δ (m×p) from the current generators, E = Δ C, f = ⟨Δ, E⟩ / s, ∂f/∂Δ = 2E / s.
            int column = 0, at = 0;
            foreach (Block block in blocks)
            {
                int n = block.Target.Length / rows;
                if (block.Generators is { } g)
                {
                    double[] m = ToeplitzGenerators.Solve(theta.AsSpan(at, g.Length), block.Rank, block.Size, rows, n);
                    for (int i = 0; i < rows; i++)
                    {
                        for (int k = 0; k < n; k++)
                        {
                            residual[(i * p) + column + k] = m[(i * n) + k] - block.Target[(i * n) + k];
                        }
                    }

                    at += g.Length;
                }
                else
                {
                    for (int i = 0; i < rows; i++)
                    {
                        Array.Clear(residual, (i * p) + column, n);
                    }
                }

                column += n;
            }

            double value = Multiply(residual, moment, weighted, rows, p) / scale;
            column = 0;
            at = 0;
            foreach (Block block in blocks)
            {
                int n = block.Target.Length / rows;
                if (block.Generators is { } g)
                {
                    double[] dM = new double[rows * n];
                    for (int i = 0; i < rows; i++)
                    {
                        for (int k = 0; k < n; k++)
                        {
                            dM[(i * n) + k] = 2 * weighted[(i * p) + column + k] / scale;
                        }
                    }

                    ToeplitzGenerators.PullBack(theta.AsSpan(at, g.Length), block.Rank, block.Size, dM, rows, n).CopyTo(gradient, at);
                    at += g.Length;
                }

                column += n;
            }

            return value;
        }

        double before = Objective(start, new double[parameterCount]);
        (double[] best, double after) = Lbfgs.Minimize(Objective, start, maxIterations);
        if (!(after < before))
        {
            return (before, before);
        }

        offset = 0;
        foreach (Block block in blocks)
        {
            if (block.Generators is { } g)
            {
                Array.Copy(best, offset, g, 0, g.Length);
                offset += g.Length;
            }
        }

        return (before, after);
    }

    /// <summary>tr(Δ_b C_bb Δ_bᵀ) / tr(W_b C_bb W_bᵀ) for one block alone, to choose a start.</summary>
    public static double BlockError(double[] generators, Block block, double[] moment, int rows, int offset, int p)
    {
        int n = block.Target.Length / rows;
        double[] m = ToeplitzGenerators.Solve(generators, block.Rank, block.Size, rows, n);
        double[] sub = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(moment, ((offset + i) * p) + offset, sub, i * n, n);
        }

        double[] difference = new double[rows * n];
        for (int i = 0; i < difference.Length; i++)
        {
            difference[i] = m[i] - block.Target[i];
        }

        double[] scratch = new double[rows * n];
        double target = Multiply(block.Target, sub, scratch, rows, n);
        return target > 0 ? Multiply(difference, sub, scratch, rows, n) / target : 0;
    }

    // tr(W C Wᵀ) for the whole target [W_x, W_r].
    private static double Energy(IReadOnlyList<Block> blocks, double[] moment, int rows, int p)
    {
        double[] whole = new double[rows * p];
        int column = 0;
        foreach (Block block in blocks)
        {
            int n = block.Target.Length / rows;
            for (int i = 0; i < rows; i++)
            {
                Array.Copy(block.Target, i * n, whole, (i * p) + column, n);
            }

            column += n;
        }

        return Multiply(whole, moment, new double[rows * p], rows, p);
    }

    // E = A C (A: m×p, C: p×p symmetric); returns ⟨A, E⟩ = tr(A C Aᵀ).
    private static double Multiply(double[] a, double[] c, double[] e, int rows, int p)
    {
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<double> row = a.AsSpan(i * p, p);
            Span<double> output = e.AsSpan(i * p, p);
            output.Clear();
            for (int l = 0; l < p; l++)
            {
                double v = row[l];
                if (v == 0)
                {
                    continue;
                }

                ReadOnlySpan<double> cRow = c.AsSpan(l * p, p);
                for (int k = 0; k < p; k++)
                {
                    output[k] += v * cRow[k];
                }
            }

            for (int k = 0; k < p; k++)
            {
                total += row[k] * output[k];
            }
        }

        return total;
    }

    /// <summary>One gate matrix of the layer.</summary>
    /// <param name="Target">The source matrix W_b, m×n_b row-major.</param>
    /// <param name="Generators">The generators [2r, N] to fit (start and result), or null to keep W_b.</param>
    /// <param name="Rank">r.</param>
    /// <param name="Size">N = max(m, n_b).</param>
    internal sealed record Block(double[] Target, double[]? Generators, int Rank, int Size);
}
