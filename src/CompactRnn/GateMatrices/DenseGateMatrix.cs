using System;
using System.Collections.Generic;
using CompactRnn.Kernels;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// A dense matrix <c>W ∈ R^{m×n}</c>: <c>y = W·x</c>.
/// </summary>
/// <remarks>
/// Parameters: one block <c>"W"</c> of m·n floats, row-major (PyTorch's <c>weight_ih</c> layout).
/// Cost per vector: m·n multiply-adds. Initialisation: <c>U(−1/√n, 1/√n)</c>, variance <c>1/(3n)</c>.
/// </remarks>
public sealed class DenseGateMatrix : GateMatrix
{
    private readonly ParameterBlock[] _blocks;

    /// <summary>Creates an m×n dense matrix.</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    public DenseGateMatrix(int outputSize, int inputSize)
        : this(outputSize, inputSize, GateMatrixInit.VariancePreserving)
    {
    }

    /// <summary>Creates an m×n dense matrix drawn by <paramref name="init"/>; a layer passes its scheme only for W_p,
    /// the one dense matrix that is a factor (docs/math.md §5 scheme C, §9).</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="init"><see cref="GateMatrixInit.SemiOrthogonal"/> draws W semi-orthogonal with entry variance 1/(3n); any other
    /// scheme draws U(−1/√n, 1/√n).</param>
    public DenseGateMatrix(int outputSize, int inputSize, GateMatrixInit init)
        : base(outputSize, inputSize)
    {
        _blocks = [new ParameterBlock("W", 0, outputSize, inputSize)];
        Init = init == GateMatrixInit.SemiOrthogonal ? init : GateMatrixInit.VariancePreserving;
    }

    /// <summary>How <see cref="GateMatrix.Initialize"/> draws W: <see cref="GateMatrixInit.VariancePreserving"/> or
    /// <see cref="GateMatrixInit.SemiOrthogonal"/>.</summary>
    public GateMatrixInit Init { get; }

    /// <inheritdoc />
    public override string Kind => "dense";

    /// <inheritdoc />
    public override int ParameterCount => OutputSize * InputSize;

    /// <inheritdoc />
    /// <remarks>True: the one block <c>W</c> is the matrix.</remarks>
    internal override bool IsDense => true;

    /// <inheritdoc />
    /// <remarks>The parameters themselves, at every row count.</remarks>
    internal override ReadOnlySpan<float> ForwardRows(GateMatrixWeights weights, int rows) => weights.Parameters;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <inheritdoc />
    protected override int WorkspaceSizeCore(int batchSize) => 0;

    /// <inheritdoc />
    protected override void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
        => Gemm.MultiplyAddTransposedB(input, weights.Parameters, output, batchSize, OutputSize, InputSize); // Y += X·Wᵀ

    /// <inheritdoc />
    protected override void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        Gemm.MultiplyAddTransposedA(dOutput, input, dParameters, OutputSize, InputSize, batchSize); // dW += dYᵀ·X
        if (!dInput.IsEmpty)
        {
            Gemm.MultiplyAdd(dOutput, weights.Parameters, dInput, batchSize, InputSize, OutputSize); // dX += dY·W
        }
    }

    /// <inheritdoc />
    /// <remarks>None: a session keeps nothing of its own.</remarks>
    protected override int BackwardStateSizeCore(int rowsPerCall) => 0;

    /// <inheritdoc />
    /// <remarks>With the pass's rows kept (<see cref="GateMatrixBackwardSession.PassRows"/>), a step computes <c>dX += dY·W</c> only
    /// and <see cref="FinishBackwardCore"/> takes <c>dW += Σ dYᵀ·X</c> once over all rows: one product of depth R instead of
    /// one per step (~0.9× the time at R = 640 rows). Otherwise every step is complete.</remarks>
    protected override void BackwardStepCore(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput)
    {
        if (session.PassRows.IsEmpty)
        {
            BackwardCore(session.Weights, input, dOutput, batchSize, session.ParameterGradient, dInput, session.Workspace);
        }
        else if (!dInput.IsEmpty)
        {
            Gemm.MultiplyAdd(dOutput, session.Weights.Parameters, dInput, batchSize, InputSize, OutputSize); // dX += dY·W
        }
    }

    /// <inheritdoc />
    protected override void FinishBackwardCore(in GateMatrixBackwardSession session)
    {
        if (!session.PassRows.IsEmpty)
        {
            ReadOnlySpan<float> dOutput = session.PassRows.OutputGradients, input = session.PassRows.Inputs;
            Gemm.MultiplyAddTransposedA(dOutput, input, session.ParameterGradient, OutputSize, InputSize, input.Length / InputSize); // dW += Σ dYᵀ·X
        }
    }

    /// <inheritdoc />
    protected override void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense) => parameters.CopyTo(dense);

    /// <inheritdoc />
    protected override void InitializeCore(Span<float> parameters, Random random)
    {
        if (Init == GateMatrixInit.SemiOrthogonal)
        {
            Initializers.FillSemiOrthogonal(parameters, OutputSize, InputSize, TargetVariance, random);
            return;
        }

        Initializers.FillUniform(parameters, Math.Sqrt(3.0 * TargetVariance), random);
    }
}
