using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// Chooses, per Toeplitz-like matrix, the smallest batch from which the cached dense form (GEMMs on W) is
/// cheaper than the FFT products, from a cost model fitted to measurements.
/// </summary>
/// <remarks>
/// <para>Model, per forward + backward call of B rows (times in ns): dense <c>a·m·n + b·B·m·n</c> (the fixed part
/// is reading W at GEMV speed, the per-row part GEMM throughput); FFT <c>B·blocks·(5 + 6·⌈r/2⌉)·(c·N·log₂N + d)</c>
/// (2 + 2⌈r/2⌉ transforms forward, 3 + 4⌈r/2⌉ backward, each with its element-wise products). The dense form wins
/// from <c>B* = a·m·n / (FFT per row − b·m·n)</c> on, never when the FFT's cost per row is below b·m·n.</para>
/// <para>Fitted (benchmarks <c>tl-threshold</c>, 2 shared cores, AVX2): a = 0.2, b = 0.04, c = 0.1, d = 570. Measured
/// crossovers it reproduces: 4·192×96 (N = 768) dense wins at every batch for r = 5, also for 8 stacked 96-blocks;
/// 1024×256 r = 4 between B = 1 and 4 (model 4); 2048×512 r = 4 near B = 32…64 (model 35); r = 16 near B = 4
/// (model 2); r = 1 FFT wins at every batch up to 64 (model: never). Timings were noisy (other jobs running); a
/// threshold off by a factor of two costs little near the crossover, where both paths take about the same time.</para>
/// </remarks>
internal static class ToeplitzLikePathChoice
{
    private const double DenseFixedPerEntry = 0.2, DensePerRowEntry = 0.04, FftPerButterflyUnit = 0.1, FftOverhead = 570, ProjectionPerRankEntry = 0.15;

    /// <summary>The smallest batch for which the dense form is expected to be faster; <see cref="int.MaxValue"/> if none.</summary>
    /// <param name="rows">m of the whole matrix.</param>
    /// <param name="columns">n of the whole matrix.</param>
    /// <param name="fftLength">N, the FFT length of each block.</param>
    /// <param name="rank">r of each block.</param>
    /// <param name="blocks">Number of Toeplitz-like blocks (1 for the square embedding).</param>
    public static int DenseBatchThreshold(int rows, int columns, int fftLength, int rank, int blocks)
        => Threshold(rows, columns, fftLength, rank, blocks, DenseFixedPerEntry);

    /// <summary>
    /// The smallest batch for which a complete <see cref="GateMatrix.Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/>
    /// (outside a backward session) is expected to be faster in the dense form. Such a call projects its dense ∂L/∂W onto the
    /// generators itself, about <c>0.15·r·m·n</c> ns, a cost a training pass pays once per matrix but a single call
    /// pays every time (measured: 512², r = 64, batch 1 took 2.2 ms that way against 27 µs for a dense matrix).
    /// </summary>
    /// <param name="rows">m of the whole matrix.</param>
    /// <param name="columns">n of the whole matrix.</param>
    /// <param name="fftLength">N, the FFT length of each block.</param>
    /// <param name="rank">r of each block.</param>
    /// <param name="blocks">Number of Toeplitz-like blocks (1 for the square embedding).</param>
    public static int CompleteBackwardBatchThreshold(int rows, int columns, int fftLength, int rank, int blocks)
        => Threshold(rows, columns, fftLength, rank, blocks, DenseFixedPerEntry + (ProjectionPerRankEntry * rank));

    private static int Threshold(int rows, int columns, int fftLength, int rank, int blocks, double fixedPerEntry)
    {
        double entries = (double)rows * columns;
        double transforms = 5 + (6 * ((rank + 1) / 2));
        double fftPerRow = blocks * transforms * ((FftPerButterflyUnit * fftLength * Math.Log2(Math.Max(2, fftLength))) + FftOverhead);
        double gain = fftPerRow - (DensePerRowEntry * entries);
        if (gain <= 0)
        {
            return int.MaxValue;
        }

        return (int)Math.Clamp(Math.Ceiling(fixedPerEntry * entries / gain), 1, int.MaxValue);
    }
}
