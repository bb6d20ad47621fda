using System;

namespace CompactRnn.Layers;

/// <summary>
/// The gradients arriving at a layer's outputs for <see cref="LstmLayer.Backward"/>: ∂L/∂r_t from everything above
/// the layer at every step, and ∂L/∂ of the final state (r_{T−1}, c_{T−1}) when the state is carried on.
/// </summary>
public readonly ref struct LstmLayerOutputGradients
{
    /// <summary>∂L/∂r_t for t &lt; T from everything above the layer, [T, B, n_r].</summary>
    public ReadOnlySpan<float> Outputs { get; init; }

    /// <summary>∂L/∂r_{T−1} through the final state [B, n_r], or empty (none).</summary>
    public ReadOnlySpan<float> FinalOutput { get; init; }

    /// <summary>∂L/∂c_{T−1} through the final state [B, n_c], or empty (none).</summary>
    public ReadOnlySpan<float> FinalCell { get; init; }
}
