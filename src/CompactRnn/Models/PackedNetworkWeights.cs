using System;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// The streaming packs of a whole network (every layer, and W_out) at one <see cref="WeightPrecision"/>, built
/// once per <see cref="LstmModel"/> and precision on the first session that needs them and shared, read-only,
/// by all of its sessions.
/// </summary>
internal sealed class PackedNetworkWeights
{
    /// <summary>Packs every dense matrix of <paramref name="network"/> from <paramref name="parameters"/> at <paramref name="precision"/>.</summary>
    public PackedNetworkWeights(LstmNetwork network, ReadOnlySpan<float> parameters, WeightPrecision precision)
    {
        Layers = new PackedLayerWeights[network.Layers.Count];
        for (int l = 0; l < Layers.Length; l++)
        {
            Layers[l] = new PackedLayerWeights(network.Layers[l], network.LayerParameters(parameters, l), precision);
        }

        if (network.OutputMatrix is not null)
        {
            Output = PackedLayerWeights.Pack(precision, network.OutputSize, network.OutputWeights(parameters), network.Layers[^1].OutputSize);
        }
    }

    private PackedNetworkWeights(int layers)
    {
        Layers = new PackedLayerWeights[layers];
        for (int l = 0; l < layers; l++)
        {
            Layers[l] = PackedLayerWeights.Unpacked;
        }
    }

    /// <summary>
    /// No packs at all: every product reads the model's own parameters through its gate matrix (float32 sessions of networks
    /// without a layer whose W_x and W_r are both dense, so the session holds no copy of any weight).
    /// </summary>
    public static PackedNetworkWeights Unpacked(LstmNetwork network) => new(network.Layers.Count);

    /// <summary>
    /// True when some layer of <paramref name="network"/> has W_x and W_r both dense, the case where a float32
    /// pack pays: the two gate products become one sequential stream. Otherwise a float32 session keeps the
    /// batch code path and no copy of the weights.
    /// </summary>
    public static bool HasCombinedGates(LstmNetwork network)
    {
        foreach (LstmLayer layer in network.Layers)
        {
            if (layer.InputMatrix.IsDense && layer.RecurrentMatrix.IsDense)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Bytes of all packs together (the memory the packed copy adds to the model).</summary>
    public long Bytes
    {
        get
        {
            long bytes = Output?.Bytes ?? 0;
            foreach (PackedLayerWeights layer in Layers)
            {
                bytes += (layer.Gates?.Bytes ?? 0) + (layer.Input?.Bytes ?? 0) + (layer.Recurrent?.Bytes ?? 0) + (layer.Projection?.Bytes ?? 0);
            }

            return bytes;
        }
    }

    /// <summary>One pack per layer, bottom first.</summary>
    public PackedLayerWeights[] Layers { get; }

    /// <summary>W_out, or null without an output layer.</summary>
    public IStreamingMatrix? Output { get; }
}
