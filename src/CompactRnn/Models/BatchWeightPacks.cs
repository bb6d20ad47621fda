using CompactRnn.Kernels;

namespace CompactRnn.Models;

/// <summary>
/// The gate matrices of one network packed for batch inference's forward products (<see cref="PackedWeightGemm"/>): W_x, W_r
/// and W_p of each layer whose product is a plain GEMM (dense, or a Toeplitz-like dense form), built once per model and
/// network and shared by every call. They cost about the float32 bytes of those matrices again; in exchange a step's
/// products run only micro-kernel tiles over one sequential stream of weights.
/// </summary>
internal sealed class BatchWeightPacks
{
    private readonly (PackedWeightGemm? Input, PackedWeightGemm? Recurrent, PackedWeightGemm? Projection)[] _layers;

    /// <summary>Packs <paramref name="network"/>'s matrices from its parameters and prepared cache.</summary>
    public BatchWeightPacks(LstmNetwork network, float[] parameters, float[] cache)
    {
        Network = network;
        _layers = new (PackedWeightGemm?, PackedWeightGemm?, PackedWeightGemm?)[network.Layers.Count];
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l] = network.Layers[l].CreatePacks(network.LayerParameters(parameters, l), network.LayerCache(cache, l));
            Bytes += (_layers[l].Input?.Bytes ?? 0) + (_layers[l].Recurrent?.Bytes ?? 0) + (_layers[l].Projection?.Bytes ?? 0);
        }
    }

    /// <summary>The network the packs were made for.</summary>
    public LstmNetwork Network { get; }

    /// <summary>Bytes of all packs.</summary>
    public long Bytes { get; }

    /// <summary>Layer <paramref name="layer"/>'s packs (null where its matrix has no plain-GEMM form).</summary>
    public (PackedWeightGemm? Input, PackedWeightGemm? Recurrent, PackedWeightGemm? Projection) Layer(int layer) => _layers[layer];
}
