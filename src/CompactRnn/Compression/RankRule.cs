using System;
using System.Globalization;

namespace CompactRnn.Compression;

/// <summary>
/// How <see cref="ModelCompressor"/> chooses the rank of each matrix it factorises: a fixed rank, or the
/// smallest rank explaining a fraction τ of the squared singular values (<see cref="RankSelection.ForExplainedVariance"/>).
/// </summary>
public sealed record RankRule
{
    private RankRule(double threshold, int rank)
    {
        Threshold = threshold;
        Rank = rank;
    }

    /// <summary>τ for <see cref="ExplainedVariance"/> rules; 0 for fixed ranks.</summary>
    public double Threshold { get; }

    /// <summary>k for <see cref="Fixed"/> rules; 0 for explained-variance rules.</summary>
    public int Rank { get; }

    /// <summary>The same rank k for every matrix; a matrix that cannot have rank k makes the compressor throw.</summary>
    /// <param name="rank">k, at least 1.</param>
    public static RankRule Fixed(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        return new RankRule(0, rank);
    }

    /// <summary>Per matrix, the smallest k with <c>Σ_{i≤k} σ_i² ≥ τ·Σ_i σ_i²</c>.</summary>
    /// <param name="threshold">τ in (0, 1].</param>
    public static RankRule ExplainedVariance(double threshold)
    {
        RankSelection.ValidateThreshold(threshold, nameof(threshold));
        return new RankRule(threshold, 0);
    }

    /// <inheritdoc />
    public override string ToString()
        => Rank > 0 ? string.Create(CultureInfo.InvariantCulture, $"k={Rank}") : string.Create(CultureInfo.InvariantCulture, $"tau={Threshold}");

    /// <summary>The rank for one matrix.</summary>
    /// <param name="singularValues">The matrix's singular values, descending.</param>
    /// <param name="maxRank">The largest rank the target structure allows.</param>
    /// <param name="matrixName">Names the matrix in the error message, e.g. <c>layers.1.Wr</c>.</param>
    /// <param name="parameterName">The compressor argument that carried this rule.</param>
    internal int Select(ReadOnlySpan<double> singularValues, int maxRank, string matrixName, string parameterName)
    {
        if (Rank > maxRank)
        {
            throw new ArgumentOutOfRangeException(parameterName, Rank,
                $"Rank {Rank} exceeds the largest rank {maxRank} that {matrixName} allows.");
        }

        return Rank > 0 ? Rank : Math.Min(maxRank, RankSelection.ForExplainedVariance(singularValues, Threshold));
    }
}
