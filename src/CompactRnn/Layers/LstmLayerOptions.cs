using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>The configuration of one LSTM/LSTMP layer (docs/math.md §2).</summary>
public sealed record LstmLayerOptions
{
    /// <summary>The largest hidden, projection or input size and the largest rank: 2²⁰ (the limit of model files too).</summary>
    public const int MaxSize = 1 << 20;

    /// <summary>n_c, the number of cells; at least 1.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>n_r, the recurrent projection size; 0 for a plain LSTM (then r_t = m_t and n_r = n_c).</summary>
    public int ProjectionSize { get; init; }

    /// <summary>Diagonal peepholes p_i, p_f (reading c_{t−1}) and p_o (reading the new c_t).</summary>
    public bool Peepholes { get; init; }

    /// <summary>κ_c: the cell state is clipped to [−κ_c, κ_c]; 0 turns clipping off.</summary>
    public float CellClip { get; init; }

    /// <summary>κ_r: the projection output is clipped to [−κ_r, κ_r]; 0 turns clipping off.</summary>
    public float ProjectionClip { get; init; }

    /// <summary>Added to the forget-gate bias at initialisation (TensorFlow's default is 1).</summary>
    public float ForgetBias { get; init; } = 1f;

    /// <summary>The kind of W_x, the stacked 4n_c × n_in input matrix.</summary>
    public GateMatrixSpec Input { get; init; } = GateMatrixSpec.Dense;

    /// <summary>The kind of W_r, the stacked 4n_c × n_r recurrent matrix.</summary>
    public GateMatrixSpec Recurrent { get; init; } = GateMatrixSpec.Dense;

    /// <summary>The kind of W_p, the n_r × n_c projection (ignored without projection).</summary>
    public GateMatrixSpec Projection { get; init; } = GateMatrixSpec.Dense;

    /// <summary>How the layer's matrices draw their initial parameters (docs/math.md §9): Toeplitz-like generators follow
    /// <see cref="GateMatrixInit.RankScaled"/>; low-rank factors and the projection W_p follow <see cref="GateMatrixInit.SemiOrthogonal"/>;
    /// each kind ignores the schemes it has no factors for. Text form <c>init=vp|rank-scaled|orth</c> (<c>NetworkSpec</c>).</summary>
    public GateMatrixInit Init { get; init; } = DefaultInit;

    /// <summary>The scheme chosen on dev (docs/math.md §9).</summary>
    public const GateMatrixInit DefaultInit = GateMatrixInit.VariancePreserving;

    /// <summary>n_r as used by the recurrence and by the next layer: the projection size, or n_c without one.</summary>
    public int OutputSize => ProjectionSize > 0 ? ProjectionSize : HiddenSize;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HiddenSize, MaxSize, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ProjectionSize, nameof(ProjectionSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ProjectionSize, MaxSize, nameof(ProjectionSize));
        ArgumentNullException.ThrowIfNull(Input, nameof(Input));
        ArgumentNullException.ThrowIfNull(Recurrent, nameof(Recurrent));
        ArgumentNullException.ThrowIfNull(Projection, nameof(Projection));
        if (!Enum.IsDefined(Init))
        {
            throw new ArgumentOutOfRangeException(nameof(Init), Init, "Unknown initialisation scheme; expected VariancePreserving, RankScaled or SemiOrthogonal.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(CellClip, nameof(CellClip));
        ArgumentOutOfRangeException.ThrowIfNegative(ProjectionClip, nameof(ProjectionClip));
        if (!float.IsFinite(CellClip) || !float.IsFinite(ProjectionClip) || !float.IsFinite(ForgetBias))
        {
            throw new ArgumentOutOfRangeException(nameof(CellClip), "Clips and the forget bias must be finite.");
        }
    }
}
