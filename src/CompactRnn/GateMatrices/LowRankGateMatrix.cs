using System;
using System.Collections.Generic;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// A low-rank matrix <c>W = U·V</c> with <c>U ∈ R^{m×k}</c>, <c>V ∈ R^{k×n}</c> (docs/math.md §5 scheme B,
/// "stacked gates"), or, with <c>groupCount = G &gt; 1</c>, G independent row groups
/// <c>W_g = U_g·V_g</c>, <c>U_g ∈ R^{(m/G)×k}</c>, <c>V_g ∈ R^{k×n}</c> (scheme A, "per gate", G = 4).
/// </summary>
/// <remarks>
/// <para>Parameters: <c>U</c> then <c>V</c> (stacked), or <c>U0, V0, U1, V1, …</c> (per group), each row-major.
/// Count: <c>k(m + n)</c> stacked, <c>G·k(m/G + n)</c> per group.</para>
/// <para>Cost per vector: <c>k(m + n)</c> stacked, <c>G·k(m/G + n)</c> per group, against <c>m·n</c> dense.</para>
/// <para>Forward: <c>t = V·x</c>, <c>y += U·t</c>. Backward: <c>dt = Uᵀ·dy</c>, <c>dU += dy·tᵀ</c>,
/// <c>dV += dt·xᵀ</c>, <c>dx += Vᵀ·dt</c>. <c>t</c> is recomputed in the backward pass rather than saved.</para>
/// <para>Initialisation: <c>U ~ U(−1/√k, 1/√k)</c>, <c>V ~ U(−√(3/n), √(3/n))</c>, so that
/// <c>Var(W_ij) = k·(1/(3k))·(1/n) = 1/(3n)</c>, the dense target; or, <see cref="GateMatrixInit.SemiOrthogonal"/>,
/// U and V semi-orthogonal with the same entry variances, so every singular value of W is √(m/(3k)).</para>
/// </remarks>
public sealed class LowRankGateMatrix : GateMatrix
{
    private readonly ParameterBlock[] _blocks;

    /// <summary>Creates an m×n matrix of rank at most k.</summary>
    /// <param name="outputSize">m, at least 1; divisible by <paramref name="groupCount"/>.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="rank">k, from 1 to min(m/G, n).</param>
    /// <param name="groupCount">G: 1 for one factorisation of the stacked block, 4 for one per LSTM gate.</param>
    public LowRankGateMatrix(int outputSize, int inputSize, int rank, int groupCount = 1)
        : this(outputSize, inputSize, rank, groupCount, GateMatrixInit.VariancePreserving)
    {
    }

    /// <summary>Creates an m×n matrix of rank at most k whose factors are drawn by <paramref name="init"/> (docs/math.md §9).</summary>
    /// <param name="outputSize">m, at least 1; divisible by <paramref name="groupCount"/>.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="rank">k, from 1 to min(m/G, n).</param>
    /// <param name="groupCount">G: 1 for one factorisation of the stacked block, 4 for one per LSTM gate.</param>
    /// <param name="init"><see cref="GateMatrixInit.SemiOrthogonal"/> draws U and V semi-orthogonal; any other scheme is variance-preserving.</param>
    public LowRankGateMatrix(int outputSize, int inputSize, int rank, int groupCount, GateMatrixInit init)
        : base(outputSize, inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        if (outputSize % groupCount != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupCount), groupCount, $"The output size {outputSize} is not divisible by the group count.");
        }

        int groupRows = outputSize / groupCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, Math.Min(groupRows, inputSize));
        Rank = rank;
        GroupCount = groupCount;
        GroupRows = groupRows;
        Init = init == GateMatrixInit.SemiOrthogonal ? init : GateMatrixInit.VariancePreserving;

        _blocks = new ParameterBlock[2 * groupCount];
        int offset = 0;
        float stepScale = StepScale.LowRank(groupRows, inputSize, rank, 1.0 / (3.0 * rank), 1.0 / inputSize, Init == GateMatrixInit.SemiOrthogonal);
        for (int g = 0; g < groupCount; g++)
        {
            string suffix = groupCount == 1 ? string.Empty : g.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _blocks[2 * g] = new ParameterBlock("U" + suffix, offset, groupRows, rank) { LearningRateScale = stepScale };
            offset += groupRows * rank;
            _blocks[(2 * g) + 1] = new ParameterBlock("V" + suffix, offset, rank, inputSize) { LearningRateScale = stepScale };
            offset += rank * inputSize;
        }

        ParameterCount = offset;
    }

    /// <summary>k, the rank of each factorisation.</summary>
    public int Rank { get; }

    /// <summary>How <see cref="GateMatrix.Initialize"/> draws U and V: <see cref="GateMatrixInit.VariancePreserving"/> or
    /// <see cref="GateMatrixInit.SemiOrthogonal"/>.</summary>
    public GateMatrixInit Init { get; }

    /// <summary>G, the number of independently factorised row groups.</summary>
    public int GroupCount { get; }

    /// <summary>m/G, the rows of each group.</summary>
    public int GroupRows { get; }

    /// <inheritdoc />
    public override string Kind => GroupCount == 1 ? "lowrank" : "lowrank-pergate";

    /// <inheritdoc />
    private protected override (char Key, int Value)? SizeParameter => ('k', Rank);

    /// <inheritdoc />
    public override int ParameterCount { get; }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <inheritdoc />
    protected override int WorkspaceSizeCore(int batchSize) => 2 * batchSize * Rank; // t and dt for one group

    /// <inheritdoc />
    protected override void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        int k = Rank, n = InputSize, rows = GroupRows;
        Span<float> t = workspace[..(batchSize * k)]; // [B, k]
        for (int g = 0; g < GroupCount; g++)
        {
            ReadOnlySpan<float> u = _blocks[2 * g].Slice(weights.Parameters);       // [m/G, k]
            ReadOnlySpan<float> v = _blocks[(2 * g) + 1].Slice(weights.Parameters); // [k, n]
            t.Clear();
            Gemm.MultiplyAddTransposedB(input, v, t, batchSize, k, n); // t = X·Vᵀ
            // y_g += t·U_gᵀ for all rows at once; the group's outputs are a column slice of each output row (ldc = m).
            Gemm.MultiplyAddTransposedB(t, u, output[(g * rows)..], batchSize, rows, k, cRowStride: OutputSize);
        }
    }

    /// <inheritdoc />
    protected override void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        int k = Rank, n = InputSize, rows = GroupRows;
        Span<float> t = workspace[..(batchSize * k)];                 // [B, k]
        Span<float> dt = workspace.Slice(batchSize * k, batchSize * k); // [B, k]
        for (int g = 0; g < GroupCount; g++)
        {
            ReadOnlySpan<float> u = _blocks[2 * g].Slice(weights.Parameters);
            ReadOnlySpan<float> v = _blocks[(2 * g) + 1].Slice(weights.Parameters);
            Span<float> du = _blocks[2 * g].Slice(dParameters);
            Span<float> dv = _blocks[(2 * g) + 1].Slice(dParameters);
            t.Clear();
            dt.Clear();
            Gemm.MultiplyAddTransposedB(input, v, t, batchSize, k, n); // t = X·Vᵀ (recomputed)
            ReadOnlySpan<float> dy = dOutput[(g * rows)..]; // dy_g[b, i] = dOutput[b·m + g·m/G + i]: a column block, row stride m
            Gemm.MultiplyAdd(dy, aRowStride: OutputSize, u, dt, batchSize, k, rows);          // dt = dy_g·U_g
            Gemm.MultiplyAddTransposedA(dy, aRowStride: OutputSize, t, du, rows, k, batchSize); // dU_g += dy_gᵀ·t

            Gemm.MultiplyAddTransposedA(dt, input, dv, k, n, batchSize); // dV += dtᵀ·X
            if (!dInput.IsEmpty)
            {
                Gemm.MultiplyAdd(dt, v, dInput, batchSize, n, k); // dX += dt·V
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>None: every step is complete.</remarks>
    protected override int BackwardStateSizeCore(int rowsPerCall) => 0;

    /// <inheritdoc />
    protected override void BackwardStepCore(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput)
        => BackwardCore(session.Weights, input, dOutput, batchSize, session.ParameterGradient, dInput, session.Workspace);

    /// <inheritdoc />
    protected override void FinishBackwardCore(in GateMatrixBackwardSession session)
    {
    }

    /// <inheritdoc />
    protected override void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense)
    {
        dense.Clear();
        int k = Rank, n = InputSize, rows = GroupRows;
        for (int g = 0; g < GroupCount; g++)
        {
            // W_g = U_g·V_g, written into rows [g·m/G, (g+1)·m/G).
            Gemm.MultiplyAdd(_blocks[2 * g].Slice(parameters), _blocks[(2 * g) + 1].Slice(parameters), dense.Slice(g * rows * n, rows * n), rows, n, k);
        }
    }

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random)
    {
        float uBound = (float)(1.0 / Math.Sqrt(Rank));
        float vBound = (float)Math.Sqrt(3.0 / InputSize);
        for (int g = 0; g < GroupCount; g++)
        {
            if (Init == GateMatrixInit.SemiOrthogonal)
            {
                // The same entry variances, 1/(3k) and 1/n, so W_g = U_g V_g keeps Var = 1/(3n) with all k singular values √(m/(3k)) (docs/math.md §9).
                Initializers.FillSemiOrthogonal(_blocks[2 * g].Slice(parameters), GroupRows, Rank, 1.0 / (3.0 * Rank), random);
                Initializers.FillSemiOrthogonal(_blocks[(2 * g) + 1].Slice(parameters), Rank, InputSize, 1.0 / InputSize, random);
                continue;
            }

            Initializers.FillUniform(_blocks[2 * g].Slice(parameters), uBound, random);
            Initializers.FillUniform(_blocks[(2 * g) + 1].Slice(parameters), vBound, random);
        }
    }
}
