using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Compression;

/// <summary>
/// Rank choices for compressing a trained matrix: by explained variance of its singular values
/// (docs/math.md §11 step 2) or by a parameter budget.
/// </summary>
public static class RankSelection
{
    /// <summary>
    /// The smallest k with <c>Σ_{i≤k} σ_i² / Σ_i σ_i² ≥ τ</c>, the σ_i taken in descending order
    /// (the "explained variance" rank of 1603.08042, also sp-uhh/compressed-lstm's projection rank).
    /// </summary>
    /// <param name="singularValues">σ_i ≥ 0, any order (sorted internally); at least one.</param>
    /// <param name="threshold">τ in (0, 1]; τ = 1 keeps every non-zero σ_i.</param>
    /// <returns>k from 1 to the number of singular values; 1 when every σ_i is 0.</returns>
    public static int ForExplainedVariance(ReadOnlySpan<double> singularValues, double threshold)
    {
        ValidateThreshold(threshold, nameof(threshold));
        if (singularValues.IsEmpty)
        {
            throw new ArgumentException("At least one singular value is needed.", nameof(singularValues));
        }

        double[] energies = new double[singularValues.Length];
        for (int i = 0; i < energies.Length; i++)
        {
            double sigma = singularValues[i];
            if (!(sigma >= 0) || !double.IsFinite(sigma))
            {
                throw new ArgumentOutOfRangeException(nameof(singularValues), sigma, $"Singular value {i} must be finite and non-negative.");
            }

            energies[i] = sigma * sigma;
        }

        Array.Sort(energies);
        Array.Reverse(energies);

        // The total is summed in the same order as the running sum, so the last running sum equals it
        // exactly and τ = 1 is always reachable despite rounding.
        double total = 0;
        foreach (double energy in energies)
        {
            total += energy;
        }

        double running = 0;
        for (int k = 1; k <= energies.Length; k++)
        {
            running += energies[k - 1];
            if (running >= threshold * total)
            {
                return k;
            }
        }

        return energies.Length;
    }

    /// <summary>
    /// The largest k in [1, <paramref name="maxRank"/>] whose parameter count
    /// <c>fixedParameters + k·parametersPerRank</c> fits in <paramref name="parameterBudget"/>.
    /// </summary>
    /// <param name="parameterBudget">The most floats allowed.</param>
    /// <param name="parametersPerRank">Floats added per unit of rank; at least 1.</param>
    /// <param name="maxRank">The largest meaningful rank; at least 1.</param>
    /// <param name="fixedParameters">Floats that do not depend on the rank (biases, other matrices); at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">Even k = 1 does not fit the budget.</exception>
    public static int ForParameterBudget(long parameterBudget, long parametersPerRank, int maxRank, long fixedParameters = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parametersPerRank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRank, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fixedParameters);
        long minimum = fixedParameters + parametersPerRank;
        if (parameterBudget < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(parameterBudget), parameterBudget,
                $"The budget is below the {minimum} parameters of rank 1.");
        }

        return (int)Math.Min(maxRank, (parameterBudget - fixedParameters) / parametersPerRank);
    }

    /// <summary>
    /// The largest rank k of an m×n <see cref="LowRankGateMatrix"/> with G row groups whose
    /// <c>G·k·(m/G + n) = k·(m + G·n)</c> parameters fit in <paramref name="parameterBudget"/>.
    /// </summary>
    /// <param name="rows">m; divisible by <paramref name="groupCount"/>.</param>
    /// <param name="columns">n.</param>
    /// <param name="parameterBudget">The most floats allowed for the matrix.</param>
    /// <param name="groupCount">G: 1 stacked, 4 per gate.</param>
    public static int ForLowRankBudget(int rows, int columns, long parameterBudget, int groupCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        if (rows % groupCount != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupCount), groupCount, $"The row count {rows} is not divisible by the group count.");
        }

        return ForParameterBudget(parameterBudget, rows + ((long)groupCount * columns), Math.Min(rows / groupCount, columns));
    }

    /// <summary>
    /// The largest displacement rank r of an m×n <see cref="ToeplitzLikeGateMatrix"/>
    /// (2·N·r parameters, N = max(m, n)) that fits in <paramref name="parameterBudget"/>.
    /// </summary>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="parameterBudget">The most floats allowed for the matrix.</param>
    public static int ForToeplitzLikeBudget(int rows, int columns, long parameterBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int size = Math.Max(rows, columns);
        return ForParameterBudget(parameterBudget, 2L * size, size);
    }

    /// <summary>Throws unless τ ∈ (0, 1].</summary>
    internal static void ValidateThreshold(double threshold, string parameterName)
    {
        if (!(threshold > 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, threshold, "The explained-variance threshold τ must be in (0, 1].");
        }
    }
}
