using System;
using System.Collections.Generic;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>The configuration of a stacked LSTM/LSTMP network with an optional affine output layer.</summary>
/// <remarks>
/// Limits (the same for the API and for model files, so whatever is saved loads): at most
/// <see cref="MaxLayers"/> layers; input, hidden, projection and output sizes and ranks at most
/// <see cref="MaxSize"/>; and the parameters, and the cache with Toeplitz-like dense forms, each at most
/// <see cref="Array.MaxLength"/> floats (<see cref="NetworkFootprint"/>, checked 64-bit arithmetic).
/// </remarks>
public sealed record LstmNetworkOptions
{
    /// <summary>The most layers a network may have.</summary>
    public const int MaxLayers = 64;

    /// <summary>The largest input, hidden, projection or output size and the largest rank: 2²⁰.</summary>
    public const int MaxSize = LstmLayerOptions.MaxSize;

    /// <summary>n_in of the first layer (e.g. 40 log-mel features); at least 1.</summary>
    public required int InputSize { get; init; }

    /// <summary>The layers, bottom first; at least one.</summary>
    public required IReadOnlyList<LstmLayerOptions> Layers { get; init; }

    /// <summary>Classes of the affine output layer (logits = W_out r_t + b_out); 0 for none (the network outputs r_t).</summary>
    public int OutputSize { get; init; }

    /// <summary>Which frames the output layer reads.</summary>
    public OutputMode OutputMode { get; init; } = OutputMode.Frame;

    /// <summary>Dropout probability on the outputs of every layer but the last, during training only; in [0, 1).</summary>
    public float Dropout { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting (see the limits above).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1, nameof(InputSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InputSize, MaxSize, nameof(InputSize));
        ArgumentNullException.ThrowIfNull(Layers, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfZero(Layers.Count, nameof(Layers));
        if (Layers.Count > MaxLayers)
        {
            throw new ArgumentOutOfRangeException(nameof(Layers), Layers.Count, $"At most {MaxLayers} layers are supported.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(OutputSize, nameof(OutputSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OutputSize, MaxSize, nameof(OutputSize));
        if (!Enum.IsDefined(OutputMode))
        {
            throw new ArgumentOutOfRangeException(nameof(OutputMode), OutputMode, $"Expected {OutputMode.Frame} or {OutputMode.LastFrame}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        }

        if (OutputMode == OutputMode.LastFrame && OutputSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(OutputMode), OutputMode, "Last-frame output needs an output layer (OutputSize > 0).");
        }

        foreach (LstmLayerOptions layer in Layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(Layers));
            layer.Validate();
        }

        NetworkFootprint footprint = NetworkFootprint.Compute(this);
        if (footprint.ParameterCount > Array.MaxLength || footprint.CacheFloats + footprint.DenseFormFloats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(Layers), footprint.ParameterCount,
                $"The network would have {footprint.ParameterCount:N0} parameters and up to {footprint.CacheFloats + footprint.DenseFormFloats:N0} floats of cache; each must be at most {Array.MaxLength:N0}.");
        }
    }
}
