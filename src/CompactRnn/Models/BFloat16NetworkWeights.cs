using System;
using CompactRnn.Kernels;

namespace CompactRnn.Models;

/// <summary>
/// The bf16 packs of a whole network (every layer, and W_out), built once per <see cref="LstmModel"/> on the
/// first <see cref="WeightPrecision.BFloat16"/> session and shared, read-only, by all of its sessions.
/// </summary>
internal sealed class BFloat16NetworkWeights
{
    /// <summary>Packs every dense matrix of <paramref name="network"/> from <paramref name="parameters"/>.</summary>
    public BFloat16NetworkWeights(LstmNetwork network, ReadOnlySpan<float> parameters)
    {
        Layers = new BFloat16LayerWeights[network.Layers.Count];
        for (int l = 0; l < Layers.Length; l++)
        {
            Layers[l] = new BFloat16LayerWeights(network.Layers[l], network.LayerParameters(parameters, l));
        }

        if (network.OutputMatrix is not null)
        {
            Output = new BFloat16Matrix(network.OutputSize, network.OutputWeights(parameters), network.Layers[^1].OutputSize, [], 0);
        }
    }

    /// <summary>One pack per layer, bottom first.</summary>
    public BFloat16LayerWeights[] Layers { get; }

    /// <summary>W_out, or null without an output layer.</summary>
    public BFloat16Matrix? Output { get; }
}
