using System;

namespace CompactRnn.Layers;

/// <summary>
/// Where <see cref="LstmLayer.Backward"/> writes: the layer's parameter gradient and ∂L/∂ of what the layer read
/// (its inputs x_t and its initial state r_{−1}, c_{−1}). Empty spans skip the optional ones.
/// </summary>
public readonly ref struct LstmLayerInputGradients
{
    /// <summary>The layer's gradient slice (same layout as its parameters); added to.</summary>
    public Span<float> Parameters { get; init; }

    /// <summary>∂L/∂x_t [T, B, n_in]; added to; empty to skip.</summary>
    public Span<float> Inputs { get; init; }

    /// <summary>∂L/∂r_{−1} [B, n_r], overwritten; empty to skip.</summary>
    public Span<float> InitialOutput { get; init; }

    /// <summary>∂L/∂c_{−1} [B, n_c], overwritten; empty to skip.</summary>
    public Span<float> InitialCell { get; init; }
}
