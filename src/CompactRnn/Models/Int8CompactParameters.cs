using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;

namespace CompactRnn.Models;

/// <summary>
/// The parameters of every compact (non-dense) gate matrix of a network at int8: each row of each of its parameter
/// blocks (a Toeplitz-like generator g_j or h_j, a row of a low-rank factor U or V) gets its own float32 scale
/// <c>s = max_p |v_p| / 127</c> and the integers <c>q_p = round(v_p / s)</c> ∈ [−127, 127], the same symmetric rule as the
/// dense int8 packs (<see cref="Int8Matrix"/>). The int8 path of a model computes with these weights: they are
/// reconstructed once as <c>v̂_p = s·q_p</c> in a float32 copy of the parameters (compact products run as FFTs or small
/// factor products in float32, whose cost does not depend on the storage), and the inference cache (the generators'
/// spectra) is prepared from that copy.
/// </summary>
/// <remarks>
/// Stored, the int8 model needs one byte per compact weight plus four per row (<see cref="StoredBytes"/>); at run time this
/// object holds the float32 copy and its cache (<see cref="Bytes"/>). Each reconstructed weight is off by at most s/2, so a
/// Toeplitz-like matrix <c>M = ½ Σ_j Z_1(g_j) Z_{−1}(J h_j)</c> moves entrywise by at most
/// <c>½ Σ_j (‖Δg_j‖_∞‖h_j‖_1 + ‖g_j‖_1‖Δh_j‖_∞ + ‖Δg_j‖_∞‖Δh_j‖_1)</c> (docs/math.md §15).
/// </remarks>
internal sealed class Int8CompactParameters
{
    private Int8CompactParameters(float[] parameters, float[] cache, long weights, long rows)
    {
        Parameters = parameters;
        Cache = cache;
        StoredBytes = weights + (4L * rows);
        CompactWeights = weights;
    }

    /// <summary>The model's parameters with every compact block row replaced by its int8 reconstruction.</summary>
    public float[] Parameters { get; }

    /// <summary>The inference network's cache, prepared from <see cref="Parameters"/>.</summary>
    public float[] Cache { get; }

    /// <summary>How many parameters are stored at int8 (those of the compact matrices).</summary>
    public long CompactWeights { get; }

    /// <summary>Bytes of the compact weights stored at int8: one per weight and a float32 scale per row.</summary>
    public long StoredBytes { get; }

    /// <summary>Bytes held at run time: the float32 copy and its cache.</summary>
    public long Bytes => AllocatedBytes.Of(Parameters, Cache);

    /// <summary>
    /// Quantizes the compact matrices of <paramref name="network"/> (a forward-only inference network, whose compact matrices
    /// may be inference forms that share their source's parameter blocks) from <paramref name="parameters"/>, and prepares
    /// its cache. Null when the network has no compact matrix.
    /// </summary>
    /// <exception cref="ArgumentException">A compact weight is not finite.</exception>
    public static Int8CompactParameters? Create(LstmNetwork network, ReadOnlySpan<float> parameters)
    {
        float[] copy = parameters.ToArray();
        long weights = 0, rows = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Span<float> layerParameters = network.LayerParameters(copy.AsSpan(), l);
            foreach ((GateMatrix matrix, int offset) in network.Layers[l].MatricesWithOffsets())
            {
                if (matrix.IsDense)
                {
                    continue;
                }

                Span<float> matrixParameters = layerParameters.Slice(offset, matrix.ParameterCount);
                foreach (Parameters.ParameterBlock block in matrix.ParameterBlocks)
                {
                    RoundRows(block.Slice(matrixParameters), block.Rows, block.Columns);
                    weights += block.Length;
                    rows += block.Rows;
                }
            }
        }

        if (weights == 0)
        {
            return null;
        }

        float[] cache = new float[network.CacheSize];
        network.Prepare(copy, cache);
        return new Int8CompactParameters(copy, cache, weights, rows);
    }

    /// <summary>Replaces each row of <paramref name="block"/> (rows × columns, row-major) by s_i·q_i.</summary>
    private static void RoundRows(Span<float> block, int rows, int columns)
    {
        float[] integers = Int8Matrix.QuantizeRows(rows, block, columns, [], 0, out float[] scales);
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Multiply(integers.AsSpan(i * columns, columns), scales[i], block.Slice(i * columns, columns));
        }
    }
}
