using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// Everything one <see cref="LstmLayer"/> records in its forward pass for the backward pass, plus the
/// scratch both passes need, allocated once for at most <see cref="MaxSteps"/> steps of
/// <see cref="BatchSize"/> sequences and reused. Time-major: step t of all rows is contiguous.
/// </summary>
/// <remarks>Index 0 of <see cref="Cell"/> and <see cref="Output"/> holds the initial state (c_{−1}, r_{−1});
/// index t + 1 holds the state after step t.</remarks>
public sealed class LstmLayerTape
{
    private readonly int _inputStateSize, _recurrentStateSize, _projectionStateSize;
    private float[]? _backwardState;

    /// <summary>Allocates a tape for <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer the tape serves.</param>
    /// <param name="maxSteps">The longest sequence the tape can hold; at least 1.</param>
    /// <param name="batchSize">The number of sequences per call; at least 1.</param>
    public LstmLayerTape(LstmLayer layer, int maxSteps, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        MaxSteps = maxSteps;
        BatchSize = batchSize;
        int rows = maxSteps * batchSize, cells = layer.HiddenSize, outputs = layer.OutputSize;
        Gates = new float[rows * 4 * cells];
        GateGradients = new float[rows * 4 * cells];
        CellBeforeClip = new float[rows * cells];
        Cell = new float[(rows + batchSize) * cells];
        TanhCell = new float[rows * cells];
        CellOutput = layer.HasProjection ? new float[rows * cells] : [];
        ProjectionBeforeClip = layer.HasProjection ? new float[rows * outputs] : [];
        Output = new float[(rows + batchSize) * outputs];
        OutputGradient = new float[batchSize * outputs];
        RecurrentGradient = new float[batchSize * outputs];
        CellOutputGradient = new float[batchSize * cells];
        CellGradient = new float[batchSize * cells];
        Workspace = new float[layer.WorkspaceSize(maxSteps, batchSize)];
        _inputStateSize = layer.InputMatrix.BackwardStateSize(rows);
        _recurrentStateSize = layer.RecurrentMatrix.BackwardStateSize(batchSize);
        _projectionStateSize = layer.ProjectionMatrix?.BackwardStateSize(batchSize) ?? 0;
    }

    /// <summary>The longest sequence the tape holds.</summary>
    public int MaxSteps { get; }

    /// <summary>Bytes of the arrays this tape holds now (the backward state only once a backward pass allocated it).</summary>
    internal long AllocatedBytes
        => CompactRnn.AllocatedBytes.Of(Gates, GateGradients, CellBeforeClip, Cell, TanhCell, CellOutput, ProjectionBeforeClip, Output,
            OutputGradient, RecurrentGradient, CellOutputGradient, CellGradient, Workspace, _backwardState ?? []);

    /// <summary>The number of sequences per call.</summary>
    public int BatchSize { get; }

    /// <summary>Activated gates [T, B, 4·n_c] as i, f, g, o (pre-activations until the step runs).</summary>
    internal float[] Gates { get; }

    /// <summary>Backward scratch: da for every step [T, B, 4·n_c].</summary>
    internal float[] GateGradients { get; }

    /// <summary>ĉ_t before the cell clip [T, B, n_c].</summary>
    internal float[] CellBeforeClip { get; }

    /// <summary>c_t [T + 1, B, n_c]; index 0 is c_{−1}.</summary>
    internal float[] Cell { get; }

    /// <summary>tanh(c_t) [T, B, n_c].</summary>
    internal float[] TanhCell { get; }

    /// <summary>m_t = o ⊙ tanh(c_t) [T, B, n_c] (only with a projection; otherwise m_t is the output).</summary>
    internal float[] CellOutput { get; }

    /// <summary>r̂_t = W_p m_t before the projection clip [T, B, n_r] (only with a projection).</summary>
    internal float[] ProjectionBeforeClip { get; }

    /// <summary>r_t [T + 1, B, n_r]; index 0 is r_{−1}.</summary>
    internal float[] Output { get; }

    /// <summary>Backward scratch: dr_t [B, n_r].</summary>
    internal float[] OutputGradient { get; }

    /// <summary>Backward scratch: W_rᵀ da_{t+1}, the recurrent part of dr_t [B, n_r].</summary>
    internal float[] RecurrentGradient { get; }

    /// <summary>Backward scratch: dm_t [B, n_c].</summary>
    internal float[] CellOutputGradient { get; }

    /// <summary>Backward scratch: the carried cell gradient [B, n_c].</summary>
    internal float[] CellGradient { get; }

    /// <summary>Scratch for the gate matrices, sized for the hoisted T·B-row input product.</summary>
    internal float[] Workspace { get; }

    /// <summary>The state of W_x's backward session (<see cref="GateMatrix.BackwardStateSize"/> for T_max·B rows per call).</summary>
    internal Span<float> InputBackwardState => BackwardState.AsSpan(0, _inputStateSize);

    /// <summary>The state of W_r's backward session (B rows per call).</summary>
    internal Span<float> RecurrentBackwardState => BackwardState.AsSpan(_inputStateSize, _recurrentStateSize);

    /// <summary>The state of W_p's backward session (B rows per call); empty without a projection.</summary>
    internal Span<float> ProjectionBackwardState => BackwardState.AsSpan(_inputStateSize + _recurrentStateSize, _projectionStateSize);

    /// <summary>The outputs r_0 … r_{T−1} of the last forward pass, [T, B, n_r].</summary>
    /// <param name="steps">T, the number of steps run.</param>
    public ReadOnlySpan<float> Outputs(int steps) => Output.AsSpan(Output.Length / (MaxSteps + 1), steps * (Output.Length / (MaxSteps + 1)));

    /// <summary>The initial recurrent output r_{−1} [B, n_r]; write it before a forward pass.</summary>
    public Span<float> InitialOutput => Output.AsSpan(0, Output.Length / (MaxSteps + 1));

    /// <summary>The initial cell state c_{−1} [B, n_c]; write it before a forward pass.</summary>
    public Span<float> InitialCell => Cell.AsSpan(0, Cell.Length / (MaxSteps + 1));

    /// <summary>r after step <paramref name="steps"/> − 1 [B, n_r] (for sequences shorter than T, their last valid value).</summary>
    public ReadOnlySpan<float> FinalOutput(int steps) => Output.AsSpan(steps * (Output.Length / (MaxSteps + 1)), Output.Length / (MaxSteps + 1));

    /// <summary>c after step <paramref name="steps"/> − 1 [B, n_c].</summary>
    public ReadOnlySpan<float> FinalCell(int steps) => Cell.AsSpan(steps * (Cell.Length / (MaxSteps + 1)), Cell.Length / (MaxSteps + 1));

    // The three sessions' states in one array, allocated by the first backward pass, so tapes used only forward
    // (streaming, evaluation) never hold it.
    private float[] BackwardState => _backwardState ??= new float[checked(_inputStateSize + _recurrentStateSize + _projectionStateSize)];
}
