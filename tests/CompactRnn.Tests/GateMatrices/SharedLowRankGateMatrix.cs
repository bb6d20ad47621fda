using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// One right factor shared by several consumers (docs/math.md §5 scheme C): <c>p = V·x</c> is computed once
/// per call, and consumer c adds <c>U_c·p</c> to its own slice of the output row, so
/// <c>W = [U_1; U_2; …]·V</c> with V ∈ R^{k×n} and U_c ∈ R^{m_c×k}.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> This matrix owns V and every U_c in one parameter slice (<c>V</c> first, then
/// <c>U.{name}</c> per consumer), so no other object can update V behind its back, and the backward pass
/// sums every consumer's <c>U_cᵀ·dy_c</c> into one dp before the single update <c>dV += dp·xᵀ</c>.</para>
/// <para><b>In a network.</b> When the consumers run at different moments (layer l's recurrence reads p_t
/// at step t+1, layer l+1's input at step t), the network (<c>LstmNetwork</c>) realises the same scheme
/// with the LSTMP projection: the producing layer owns V = W_p, r_t = V·m_t is computed once per step, and
/// the consumers (W_r of layer l, W_x of layer l+1, the output layer) are ordinary matrices on k inputs
/// whose gradients add up in ∂L/∂r_t. <c>shared-lowrank:k=K</c> in a network spec (<c>NetworkSpec</c>) builds that,
/// so no spec builds this class and the library does not ship it: it lives with the tests as the reference form of
/// scheme C that they hold the network's realisation, the step-size rule (<c>StepScale.LowRank</c>) and the
/// semi-orthogonal draw against.</para>
/// <para>Cost per vector k(n + Σ m_c); parameters k·n + k·Σ m_c. Initialisation as <see cref="LowRankGateMatrix"/>.</para>
/// </remarks>
internal sealed class SharedLowRankGateMatrix : GateMatrix
{
    private readonly ParameterBlock[] _blocks;
    private readonly int[] _consumerOffsets;
    private readonly int[] _consumerSizes;

    /// <summary>Creates the shared factor and one left factor per consumer.</summary>
    /// <param name="consumerSizes">m_c of each consumer, in output order; each at least 1.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="rank">k, from 1 to n.</param>
    public SharedLowRankGateMatrix(IReadOnlyList<int> consumerSizes, int inputSize, int rank)
        : this(consumerSizes, inputSize, rank, GateMatrixInit.VariancePreserving)
    {
    }

    /// <summary>Creates the shared factor and one left factor per consumer, drawn by <paramref name="init"/> (docs/math.md §9).</summary>
    /// <param name="consumerSizes">m_c of each consumer, in output order; each at least 1.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="rank">k, from 1 to n.</param>
    /// <param name="init"><see cref="GateMatrixInit.SemiOrthogonal"/> draws V and every U_c semi-orthogonal; any other scheme is variance-preserving.</param>
    public SharedLowRankGateMatrix(IReadOnlyList<int> consumerSizes, int inputSize, int rank, GateMatrixInit init)
        : base(Sum(consumerSizes), inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, inputSize);
        Rank = rank;
        Init = init == GateMatrixInit.SemiOrthogonal ? init : GateMatrixInit.VariancePreserving;
        _consumerSizes = [.. consumerSizes];
        _consumerOffsets = new int[_consumerSizes.Length];
        _blocks = new ParameterBlock[_consumerSizes.Length + 1];
        float stepScale = StepScale.LowRank(OutputSize, inputSize, rank, 1.0 / (3.0 * rank), 1.0 / inputSize, Init == GateMatrixInit.SemiOrthogonal);
        _blocks[0] = new ParameterBlock("V", 0, rank, inputSize) { LearningRateScale = stepScale };
        int offset = rank * inputSize, row = 0;
        for (int c = 0; c < _consumerSizes.Length; c++)
        {
            _consumerOffsets[c] = row;
            _blocks[c + 1] = new ParameterBlock("U." + c.ToString(CultureInfo.InvariantCulture), offset, _consumerSizes[c], rank) { LearningRateScale = stepScale };
            offset += _consumerSizes[c] * rank;
            row += _consumerSizes[c];
        }

        ParameterCount = offset;
    }

    /// <summary>k, the shared rank.</summary>
    public int Rank { get; }

    /// <summary>How <see cref="GateMatrix.Initialize"/> draws V and the U_c: <see cref="GateMatrixInit.VariancePreserving"/> or
    /// <see cref="GateMatrixInit.SemiOrthogonal"/>.</summary>
    public GateMatrixInit Init { get; }

    /// <summary>The number of consumers sharing V.</summary>
    public int ConsumerCount => _consumerSizes.Length;

    /// <inheritdoc />
    public override string Kind => "shared-lowrank";

    /// <inheritdoc />
    public override int ParameterCount { get; }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <inheritdoc />
    protected override int WorkspaceSizeCore(int batchSize) => 2 * batchSize * Rank; // p and dp

    /// <inheritdoc />
    protected override void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        int k = Rank;
        Span<float> p = workspace[..(batchSize * k)];
        p.Clear();
        Gemm.MultiplyAddTransposedB(input, _blocks[0].Slice(weights.Parameters), p, batchSize, k, InputSize); // p = V·x, once
        for (int c = 0; c < ConsumerCount; c++)
        {
            ReadOnlySpan<float> u = _blocks[c + 1].Slice(weights.Parameters);
            Gemm.MultiplyAddTransposedB(p, u, output[_consumerOffsets[c]..], batchSize, _consumerSizes[c], k, cRowStride: OutputSize); // y_c += p·U_cᵀ into the consumer's column block
        }
    }

    /// <inheritdoc />
    protected override void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        int k = Rank;
        Span<float> p = workspace[..(batchSize * k)];
        Span<float> dp = workspace.Slice(batchSize * k, batchSize * k);
        ReadOnlySpan<float> v = _blocks[0].Slice(weights.Parameters);
        p.Clear();
        dp.Clear();
        Gemm.MultiplyAddTransposedB(input, v, p, batchSize, k, InputSize); // p = V·x (recomputed)
        for (int c = 0; c < ConsumerCount; c++)
        {
            ReadOnlySpan<float> u = _blocks[c + 1].Slice(weights.Parameters);
            Span<float> du = _blocks[c + 1].Slice(dParameters);
            ReadOnlySpan<float> dy = dOutput[_consumerOffsets[c]..]; // the consumer's column block, row stride m
            int rows = _consumerSizes[c];
            Gemm.MultiplyAdd(dy, aRowStride: OutputSize, u, dp, batchSize, k, rows);          // dp += dy_c·U_c (every consumer)
            Gemm.MultiplyAddTransposedA(dy, aRowStride: OutputSize, p, du, rows, k, batchSize); // dU_c += dy_cᵀ·p
        }

        Gemm.MultiplyAddTransposedA(dp, input, _blocks[0].Slice(dParameters), k, InputSize, batchSize); // dV += dp·xᵀ, once
        if (!dInput.IsEmpty)
        {
            Gemm.MultiplyAdd(dp, v, dInput, batchSize, InputSize, k); // dx += Vᵀ·dp
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
        for (int c = 0; c < ConsumerCount; c++)
        {
            Gemm.MultiplyAdd(_blocks[c + 1].Slice(parameters), _blocks[0].Slice(parameters),
                dense.Slice(_consumerOffsets[c] * InputSize, _consumerSizes[c] * InputSize), _consumerSizes[c], InputSize, Rank);
        }
    }

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random)
    {
        if (Init == GateMatrixInit.SemiOrthogonal)
        {
            Initializers.FillSemiOrthogonal(_blocks[0].Slice(parameters), Rank, InputSize, 1.0 / InputSize, random);
            for (int c = 0; c < ConsumerCount; c++)
            {
                Initializers.FillSemiOrthogonal(_blocks[c + 1].Slice(parameters), _consumerSizes[c], Rank, 1.0 / (3.0 * Rank), random);
            }

            return;
        }

        Initializers.FillUniform(_blocks[0].Slice(parameters), Math.Sqrt(3.0 / InputSize), random);
        for (int c = 0; c < ConsumerCount; c++)
        {
            Initializers.FillUniform(_blocks[c + 1].Slice(parameters), 1.0 / Math.Sqrt(Rank), random);
        }
    }

    private static int Sum(IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfZero(sizes.Count, "consumerSizes");
        int total = 0;
        foreach (int size in sizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, "consumerSizes");
            total += size;
        }

        return total;
    }
}
