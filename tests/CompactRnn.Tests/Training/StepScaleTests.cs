using System;
using CompactRnn.GateMatrices;
using CompactRnn.Tests.GateMatrices;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>
/// One Adam step with the kinds' block learning-rate scales moves the dense equivalent M about as much as it moves a
/// dense matrix of the same shape on the same upstream gradient (docs/math.md §13): ‖ΔM‖_F / ‖ΔW_dense‖_F ∈ [0.5, 2].
/// </summary>
public sealed class StepScaleTests
{
    private const float Rate = 1e-3f;
    private const int Batch = 8;

    public static TheoryData<int, int> ToeplitzShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int size in new[] { 64, 256, 1024 })
        {
            foreach (int rank in new[] { 1, 2, 4, 8, 16, 32 })
            {
                data.Add(size, rank);
            }
        }

        return data;
    }

    public static TheoryData<int, int, int> LowRankShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach ((int rows, int columns) in new[] { (256, 256), (1024, 256), (512, 1024) })
        {
            foreach (int rank in new[] { 4, 32, 128 })
            {
                data.Add(rows, columns, rank);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ToeplitzShapes))]
    public void ToeplitzLikeSquareStepMatchesDense(int size, int rank)
        => AssertRatio(new ToeplitzLikeGateMatrix(size, size, rank), seed: size + rank);

    [Theory]
    [MemberData(nameof(ToeplitzShapes))]
    public void ToeplitzLikeEmbeddedGateStackStepMatchesDense(int size, int rank)
        => AssertRatio(new ToeplitzLikeGateMatrix(size, size / 4, rank), seed: size + rank + 1);

    [Theory]
    [MemberData(nameof(ToeplitzShapes))]
    public void StackedToeplitzLikeStepMatchesDense(int size, int rank)
    {
        // A 4n_c × n_c gate stack of four size×size blocks, each a square Toeplitz-like matrix (covered to N = 1024
        // above); the 4096×1024 stack is left out to keep the test fast.
        if (size == 1024)
        {
            return;
        }

        AssertRatio(new StackedToeplitzLikeGateMatrix(4 * size, size, rank), seed: size + rank + 2);
    }

    [Theory]
    [MemberData(nameof(LowRankShapes))]
    public void LowRankStepMatchesDense(int rows, int columns, int rank)
        => AssertRatio(new LowRankGateMatrix(rows, columns, rank), seed: rows + rank);

    [Theory]
    [MemberData(nameof(LowRankShapes))]
    public void SharedProjectionStepMatchesDense(int rows, int columns, int rank)
        => AssertRatio(new SharedLowRankGateMatrix([rows / 2, rows / 2], columns, rank), seed: columns + rank);

    [Theory]
    [MemberData(nameof(ToeplitzShapes))]
    public void ToeplitzLikeRankScaledStepMatchesDense(int size, int rank)
        => AssertRatio(new ToeplitzLikeGateMatrix(size, size / 4, rank, GateMatrixInit.RankScaled), seed: size + rank + 3);

    [Theory]
    [MemberData(nameof(LowRankShapes))]
    public void LowRankSemiOrthogonalStepMatchesDense(int rows, int columns, int rank)
        => AssertRatio(new LowRankGateMatrix(rows, columns, rank, 1, GateMatrixInit.SemiOrthogonal), seed: rows + rank + 4);

    [Theory]
    [MemberData(nameof(LowRankShapes))]
    public void SharedProjectionSemiOrthogonalStepMatchesDense(int rows, int columns, int rank)
        => AssertRatio(new SharedLowRankGateMatrix([rows / 2, rows / 2], columns, rank, GateMatrixInit.SemiOrthogonal), seed: columns + rank + 5);

    [Fact]
    public void WithoutScalesToeplitzLikeStepGrowsWithRank()
    {
        // The failure the scales fix: at scale 1, r = 32 moves M several times more than a dense step does.
        double ratio = StepRatio(new ToeplitzLikeGateMatrix(256, 256, 32), seed: 5, useScales: false);
        Assert.True(ratio > 4, $"unscaled ratio {ratio:F2}");
    }

    private static void AssertRatio(GateMatrix matrix, int seed)
    {
        double ratio = StepRatio(matrix, seed, useScales: true);
        Assert.InRange(ratio, 0.5, 2.0);
    }

    /// <summary>‖ΔM‖_F / ‖ΔW‖_F after one Adam step of each on the same input and upstream gradient.</summary>
    private static double StepRatio(GateMatrix matrix, int seed, bool useScales)
    {
        var random = new Random(seed);
        float[] input = Uniform(random, Batch * matrix.InputSize);
        float[] dOutput = Uniform(random, Batch * matrix.OutputSize);
        double structured = DenseStepNorm(matrix, random, input, dOutput, useScales);
        double dense = DenseStepNorm(new DenseGateMatrix(matrix.OutputSize, matrix.InputSize), random, input, dOutput, useScales);
        return structured / dense;
    }

    private static double DenseStepNorm(GateMatrix matrix, Random random, float[] input, float[] dOutput, bool useScales)
    {
        float[] parameters = new float[matrix.ParameterCount];
        matrix.Initialize(parameters, random);
        float[] cache = new float[matrix.CacheSize];
        matrix.Prepare(parameters, cache);
        float[] gradient = new float[matrix.ParameterCount];
        matrix.Backward(new GateMatrixWeights(parameters, cache), input, dOutput, Batch, gradient, [], new float[matrix.WorkspaceSize(Batch)]);

        float[] before = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(parameters, before);
        var optimizer = new AdamOptimizer(matrix.ParameterCount, new ConstantSchedule(Rate));
        if (useScales)
        {
            optimizer.UseBlockScales(matrix.ParameterBlocks);
        }

        optimizer.Step(parameters, gradient);
        float[] after = new float[before.Length];
        matrix.ToDense(parameters, after);
        double sum = 0;
        for (int i = 0; i < after.Length; i++)
        {
            double delta = (double)after[i] - before[i];
            sum += delta * delta;
        }

        return Math.Sqrt(sum);
    }

    private static float[] Uniform(Random random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
