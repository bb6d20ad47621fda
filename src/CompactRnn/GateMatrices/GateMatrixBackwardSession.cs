using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// One backward pass through a <see cref="GateMatrix"/> made of several calls (for example one per time step), opened by
/// <see cref="GateMatrix.BeginBackward"/>. <see cref="Step"/> computes <c>dX += Wᵀ·dY</c> for its rows at once and the rows'
/// share of <c>dθ += ∂⟨dY, W·X⟩/∂θ</c> at once or later; after <see cref="Finish"/>, <see cref="ParameterGradient"/> holds
/// the whole pass's <c>dθ</c>. What a kind defers, and where, is the kind's business (<see cref="State"/>, <see cref="PassRows"/>).
/// </summary>
public readonly ref struct GateMatrixBackwardSession
{
    private readonly GateMatrix _matrix;

    internal GateMatrixBackwardSession(GateMatrix matrix, GateMatrixWeights weights, Span<float> parameterGradient, int rowsPerCall, Span<float> state,
        Span<float> workspace, GateMatrixPassRows passRows)
    {
        _matrix = matrix;
        Weights = weights;
        ParameterGradient = parameterGradient;
        RowsPerCall = rowsPerCall;
        State = state;
        Workspace = workspace;
        PassRows = passRows;
    }

    /// <summary>Parameters and prepared cache, as used in the forward pass.</summary>
    public GateMatrixWeights Weights { get; }

    /// <summary>The gradient of the matrix's parameters; added to.</summary>
    public Span<float> ParameterGradient { get; }

    /// <summary>The most rows a step may have.</summary>
    public int RowsPerCall { get; }

    /// <summary><see cref="GateMatrix.BackwardStateSize"/>(<see cref="RowsPerCall"/>) floats, zero when the session opened,
    /// owned by the kind until <see cref="Finish"/>.</summary>
    public Span<float> State { get; }

    /// <summary>Scratch of at least <see cref="GateMatrix.WorkspaceSize"/>(<see cref="RowsPerCall"/>) floats.</summary>
    public Span<float> Workspace { get; }

    /// <summary>The rows of the whole pass when the caller keeps them, otherwise empty.</summary>
    public GateMatrixPassRows PassRows { get; }

    /// <summary>
    /// One call of the pass: <c>dInput[b] += Wᵀ·dOutput[b]</c> (complete on return) and the parameter gradient of these rows
    /// (complete after <see cref="Finish"/>).
    /// </summary>
    /// <param name="input">[batchSize, n], the forward input.</param>
    /// <param name="dOutput">[batchSize, m], ∂L/∂y.</param>
    /// <param name="batchSize">Rows of this call, from 1 to <see cref="RowsPerCall"/>.</param>
    /// <param name="dInput">[batchSize, n], ∂L/∂x; added to. Pass an empty span to skip it.</param>
    public void Step(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, RowsPerCall);
        dInput = _matrix.ValidateRows(input, dOutput, batchSize, dInput, Workspace);
        _matrix.RunBackwardStep(this, input[..(batchSize * _matrix.InputSize)], dOutput[..(batchSize * _matrix.OutputSize)], batchSize, dInput);
    }

    /// <summary>Ends the pass: adds what the steps deferred to <see cref="ParameterGradient"/>. Call once, after the last step.</summary>
    public void Finish() => _matrix.RunFinishBackward(this);
}
