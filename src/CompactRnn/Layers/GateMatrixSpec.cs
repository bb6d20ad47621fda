using System;
using System.Globalization;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// Which <see cref="GateMatrix"/> kind to build for one matrix of a layer, and its size parameter.
/// </summary>
public sealed record GateMatrixSpec
{
    /// <summary>Validates and stores the kind and its size parameter.</summary>
    /// <param name="kind">See <see cref="Kind"/>.</param>
    /// <param name="rank">See <see cref="Rank"/>; at least 1 for every kind but dense.</param>
    public GateMatrixSpec(string kind, int rank = 0)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind is not ("dense" or "lowrank" or "lowrank-pergate" or "toeplitz" or "toeplitz-stacked"))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gate-matrix kind; expected dense, lowrank, lowrank-pergate, toeplitz or toeplitz-stacked.");
        }

        if (kind != "dense")
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, LstmLayerOptions.MaxSize);
        }

        Kind = kind;
        Rank = kind == "dense" ? 0 : rank;
    }

    /// <summary>One of <c>dense</c>, <c>lowrank</c> (stacked gates, docs/math.md §5 scheme B), <c>lowrank-pergate</c>
    /// (scheme A), <c>toeplitz</c> (Toeplitz-like, scheme D, square embedding) or <c>toeplitz-stacked</c> (stacked square Toeplitz-like blocks, docs/math.md §10 option 2).</summary>
    public string Kind { get; }

    /// <summary>k for the low-rank kinds; the displacement rank r for <c>toeplitz</c>; 0 for dense.</summary>
    public int Rank { get; }

    /// <summary>The dense kind.</summary>
    public static GateMatrixSpec Dense { get; } = new("dense");

    /// <summary>
    /// The spec this one builds for an m×n matrix: the rank clamped to what the shape can use (low-rank: min(m, n),
    /// per gate min(m/gates, n); <c>toeplitz</c>: max(m, n), the embedding's side; <c>toeplitz-stacked</c>: min(m, n)),
    /// so one spec serves layers of different sizes while what is printed is what is built.
    /// </summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows (4 for LSTM gate matrices, 1 otherwise).</param>
    public GateMatrixSpec Effective(int outputSize, int inputSize, int gateCount)
    {
        int rank = EffectiveRank(outputSize, inputSize, gateCount);
        return rank == Rank ? this : new GateMatrixSpec(Kind, rank);
    }

    /// <summary>Builds the matrix for an m×n shape.</summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows (4 for LSTM gate matrices, 1 otherwise).</param>
    public GateMatrix Build(int outputSize, int inputSize, int gateCount) => Build(outputSize, inputSize, gateCount, denseForm: true);

    /// <summary>Builds the matrix; without <paramref name="denseForm"/>, Toeplitz-like kinds keep no dense m×n form in their cache (FFT paths only).</summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows.</param>
    /// <param name="denseForm">Whether Toeplitz-like kinds cache their dense form.</param>
    /// <param name="init">How the structured kinds draw their parameters (<see cref="LstmLayerOptions.Init"/>); dense gate matrices ignore it.</param>
    internal GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving)
    {
        int rank = EffectiveRank(outputSize, inputSize, gateCount);
        return Kind switch
        {
            "dense" => new DenseGateMatrix(outputSize, inputSize),
            "lowrank" => new LowRankGateMatrix(outputSize, inputSize, rank, 1, init),
            "lowrank-pergate" => new LowRankGateMatrix(outputSize, inputSize, rank, gateCount, init),
            "toeplitz" => new ToeplitzLikeGateMatrix(outputSize, inputSize, rank, denseForm, init),
            "toeplitz-stacked" => new StackedToeplitzLikeGateMatrix(outputSize, inputSize, rank, denseForm, init),
            _ => throw new InvalidOperationException($"Unknown gate-matrix kind '{Kind}'."),
        };
    }

    /// <inheritdoc />
    public override string ToString()
        => Kind == "dense" ? Kind : string.Create(CultureInfo.InvariantCulture, $"{Kind}:{(Kind.StartsWith("toeplitz", StringComparison.Ordinal) ? "r" : "k")}={Rank}");

    // A rank above what the shape can use buys nothing; clamping lets one spec serve layers of different sizes.
    private int EffectiveRank(int outputSize, int inputSize, int gateCount)
        => Kind switch
        {
            "lowrank" => Math.Min(Rank, Math.Min(outputSize, inputSize)),
            "lowrank-pergate" => Math.Min(Rank, Math.Min(outputSize / gateCount, inputSize)),
            "toeplitz" => Math.Min(Rank, Math.Max(outputSize, inputSize)),
            "toeplitz-stacked" => Math.Min(Rank, Math.Min(outputSize, inputSize)),
            _ => Rank,
        };
}
