using System;
using System.Collections.Generic;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>The configuration of a stacked LSTM/LSTMP network with an optional affine output layer.</summary>
public sealed record LstmNetworkOptions
{
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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1, nameof(InputSize));
        ArgumentNullException.ThrowIfNull(Layers, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfZero(Layers.Count, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfNegative(OutputSize, nameof(OutputSize));
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
    }
}
