using System;
using CompactRnn.Kernels;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The common part of the kinds that multiply through their structure (FFTs) for small calls and through a cached dense
/// form <c>W</c> (m×n, rewritten by <see cref="GateMatrix.Prepare"/>) from <see cref="DenseBatchThreshold"/> rows per call on:
/// <see cref="ToeplitzLikeGateMatrix"/> and <see cref="StackedToeplitzLikeGateMatrix"/>.
/// </summary>
/// <remarks>
/// <para>In the dense form, Forward is the GEMM <c>Y += X·Wᵀ</c>, Backward <c>dX += dY·W</c> and <c>dW += dYᵀ·X</c>; the dense
/// <c>∂L/∂W</c> is then mapped onto the kind's parameters by the adjoint of the materialisation
/// (<see cref="ProjectDenseGradient"/>). That mapping costs about as much as a step of many rows, so a single complete
/// backward call takes the dense form only from <see cref="CompleteBackwardBatchThreshold"/> rows on, while a backward
/// session sums <c>dW</c> over all its steps in the session's state and maps it once, in
/// <see cref="GateMatrixBackwardSession.Finish"/>.</para>
/// <para>Only kinds of this library derive from it (the constructor is not public).</para>
/// </remarks>
public abstract class DenseFormGateMatrix : GateMatrix
{
    /// <summary>Validates and stores the shape and whether the cache holds the dense form.</summary>
    /// <param name="outputSize">m, at least 1.</param>
    /// <param name="inputSize">n, at least 1.</param>
    /// <param name="denseForm">Whether the cache holds the dense m×n form and large batches use it.</param>
    private protected DenseFormGateMatrix(int outputSize, int inputSize, bool denseForm)
        : base(outputSize, inputSize)
        => HasDenseForm = denseForm;

    /// <summary>Whether the cache holds the dense m×n form and large batches use it.</summary>
    internal bool HasDenseForm { get; }

    /// <summary>
    /// The smallest number of rows per call that runs through the cached dense form instead of the structured path;
    /// by default the measured cost model's choice (<see cref="ToeplitzLikePathChoice"/>); tests and benchmarks force
    /// either path by setting it when they construct the matrix (init-only: a built matrix holds only sizes).
    /// </summary>
    internal int DenseBatchThreshold { get; init; }

    /// <summary>The smallest number of rows from which a complete backward call (outside a session), which maps its own dense
    /// gradient onto the parameters, takes the dense form (<see cref="ToeplitzLikePathChoice.CompleteBackwardBatchThreshold"/>).</summary>
    private protected int CompleteBackwardBatchThreshold { get; init; }

    /// <summary>m·n floats of the dense form when the cache holds it, otherwise 0.</summary>
    private protected int DenseLength => HasDenseForm ? checked(OutputSize * InputSize) : 0;

    /// <summary>Where the dense form starts in the cache.</summary>
    private protected abstract int DenseFormOffset { get; }

    /// <summary>Floats of scratch <see cref="ProjectDenseGradient"/> needs.</summary>
    internal abstract int ProjectScratchLength { get; }

    /// <summary>Whether a call of <paramref name="batchSize"/> rows runs through the dense form.</summary>
    internal bool UsesDenseForm(int batchSize) => HasDenseForm && batchSize >= DenseBatchThreshold;

    /// <inheritdoc />
    internal override bool MayUseDenseForm(long rows) => rows >= DenseBatchThreshold;

    /// <inheritdoc />
    /// <remarks>The cached dense form when a call of <paramref name="rows"/> rows uses it (<see cref="UsesDenseForm"/>), else empty.</remarks>
    internal override ReadOnlySpan<float> ForwardRows(GateMatrixWeights weights, int rows) => UsesDenseForm(rows) ? DenseForm(weights.Cache) : [];

    /// <inheritdoc />
    /// <remarks>Structured path: <see cref="StructuredWorkspaceSize"/>. Dense path: also room for the dense gradient (m·n) and the
    /// projection scratch of a complete call (outside a backward session).</remarks>
    protected sealed override int WorkspaceSizeCore(int batchSize)
        => UsesDenseForm(batchSize) ? Math.Max(StructuredWorkspaceSize(batchSize), DenseLength + ProjectScratchLength) : StructuredWorkspaceSize(batchSize);

    /// <inheritdoc />
    protected sealed override void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        if (UsesDenseForm(batchSize))
        {
            Gemm.MultiplyAddTransposedB(input, DenseForm(weights.Cache), output, batchSize, OutputSize, InputSize); // Y += X·Wᵀ
            return;
        }

        StructuredForward(weights, input, batchSize, output, workspace);
    }

    /// <inheritdoc />
    protected sealed override void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        // A complete call also projects its dense gradient, so it takes the dense form only where that is amortised.
        if (UsesDenseForm(batchSize) && batchSize >= CompleteBackwardBatchThreshold)
        {
            Span<float> dDense = workspace[..DenseLength];
            dDense.Clear();
            DenseBackward(weights, input, dOutput, batchSize, dDense, dInput);
            ProjectDenseGradient(weights, dDense, dParameters, workspace[DenseLength..]);
            return;
        }

        StructuredBackward(weights, input, dOutput, batchSize, dParameters, dInput, workspace);
    }

    /// <inheritdoc />
    /// <remarks>m·n floats when steps of <paramref name="rowsPerCall"/> rows take the dense form: their dense gradient
    /// Σ dYᵀ·X, projected onto the parameters once per pass instead of once per step.</remarks>
    protected sealed override int BackwardStateSizeCore(int rowsPerCall) => UsesDenseForm(rowsPerCall) ? DenseLength : 0;

    /// <inheritdoc />
    protected sealed override void BackwardStepCore(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput)
    {
        if (session.State.IsEmpty || !UsesDenseForm(batchSize))
        {
            BackwardCore(session.Weights, input, dOutput, batchSize, session.ParameterGradient, dInput, session.Workspace);
            return;
        }

        DenseBackward(session.Weights, input, dOutput, batchSize, session.State, dInput);
    }

    /// <inheritdoc />
    protected sealed override void FinishBackwardCore(in GateMatrixBackwardSession session)
    {
        if (!session.State.IsEmpty)
        {
            ProjectDenseGradient(session.Weights, session.State, session.ParameterGradient, session.Workspace);
        }
    }

    /// <summary>Floats of scratch the structured path needs for a call of <paramref name="batchSize"/> rows.</summary>
    private protected abstract int StructuredWorkspaceSize(int batchSize);

    /// <summary><see cref="GateMatrix.Forward"/> through the structure (spans validated and trimmed).</summary>
    private protected abstract void StructuredForward(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace);

    /// <summary>A complete backward call through the structure (spans validated and trimmed; <paramref name="dInput"/> may be empty).</summary>
    private protected abstract void StructuredBackward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace);

    /// <summary>Adds to <paramref name="dParameters"/> the parameter gradient of a dense gradient ∂L/∂W (m×n row-major): the
    /// adjoint of writing the dense form.</summary>
    /// <param name="weights">Parameters and prepared cache.</param>
    /// <param name="dDense">∂L/∂W.</param>
    /// <param name="dParameters">The parameter gradient; added to.</param>
    /// <param name="scratch">At least <see cref="ProjectScratchLength"/> floats.</param>
    private protected abstract void ProjectDenseGradient(GateMatrixWeights weights, ReadOnlySpan<float> dDense, Span<float> dParameters, Span<float> scratch);

    /// <summary>The dense form's backward call: <c>dDense += dYᵀ·X</c> (∂L/∂W) and <c>dX += dY·W</c> (when dInput is not empty).</summary>
    private void DenseBackward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dDense, Span<float> dInput)
    {
        Gemm.MultiplyAddTransposedA(dOutput, input, dDense, OutputSize, InputSize, batchSize); // dW += dYᵀ·X
        if (!dInput.IsEmpty)
        {
            Gemm.MultiplyAdd(dOutput, DenseForm(weights.Cache), dInput, batchSize, InputSize, OutputSize); // dX += dY·W
        }
    }

    /// <summary>The cached dense form W (m×n row-major).</summary>
    private protected ReadOnlySpan<float> DenseForm(ReadOnlySpan<float> cache) => cache.Slice(DenseFormOffset, DenseLength);
}
