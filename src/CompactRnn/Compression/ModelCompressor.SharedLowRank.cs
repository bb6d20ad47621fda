using System;
using System.Collections.Generic;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Compression;

/// <content>Shared-projection compression (docs/math.md §11, scheme C).</content>
public static partial class ModelCompressor
{
    /// <summary>
    /// Compresses the chosen layers to LSTMP layers whose projection is the shared right factor of the
    /// layer's recurrence and of its consumer (the next layer's input matrix, or the output layer), as
    /// <c>shared-lowrank:k=K</c> in <see cref="NetworkSpec"/> builds them (docs/math.md §11, 1603.08042).
    /// </summary>
    /// <remarks>
    /// <para>For layer l with r_t ∈ R^{n_r} (r_t = m_t without a projection):</para>
    /// <list type="number">
    /// <item>Thin SVD <c>W_r^l = U Σ Vᵀ</c> (4n_c × n_r); k from <paramref name="rank"/> (at most n_r).</item>
    /// <item>Shared factor <c>P = V_kᵀ</c> (k × n_r). The split puts Σ on the consumer side (Z_r = U_k Σ_k):
    /// with orthonormal rows, P keeps the new r′_t = P r_t on the scale of r_t, and the least-squares refit
    /// below needs no Σ_k^{−1}, which would amplify the smallest kept σ. (sp-uhh/compressed-lstm puts Σ in P;
    /// the products Z·P are the same.)</item>
    /// <item>New projection: <c>P·W_p</c> (k × n_c), or P itself when the layer had none; the layer becomes an
    /// LSTMP with projection size k and dense W_r, W_p.</item>
    /// <item>Every consumer W of r_t (W_r^l itself, W_x^{l+1} or W_out) becomes
    /// <c>Z = argmin_Z ‖Z·P − W‖_F = W·Pᵀ(P·Pᵀ)^{−1} = W·V_k</c> (normal equations with P·Pᵀ = I). For W_r^l this
    /// is U_k Σ_k, the rank-k truncation; at k = n_r every product Z·P equals W exactly. The refit W_x^{l+1}
    /// becomes dense whatever its kind was; the next layer's W_r, biases and peepholes are kept.</item>
    /// </list>
    /// <para><b>Projection clip.</b> A compressed layer's <see cref="LstmLayerOptions.ProjectionClip"/> is set to 0.
    /// Clipping acts per coordinate, and the new coordinates are rotated mixtures of the old ones: neither
    /// <c>P·clip(W_p m)</c> nor <c>clip(P·W_p m)</c> equals the composition the refit assumes unless the old clip was
    /// inactive, and a clip on r′ would cut a different set. Without the clip the compressed layer computes
    /// exactly <c>P·W_p·m_t</c>, the quantity the factorisation was fitted to. Fine-tune with a clip if needed.</para>
    /// <para>The top layer of a network without an output layer has no consumer to refit (its r_t is the
    /// network's output), so a null <paramref name="layers"/> skips it and naming it throws.</para>
    /// </remarks>
    /// <param name="source">The trained model.</param>
    /// <param name="rank">k per compressed layer (fixed, or from τ on W_r^l's singular values); a fixed k
    /// above min(n_r, 4n_c) of a chosen layer throws.</param>
    /// <param name="layers">The layers to compress; null for all that have a consumer.</param>
    public static LstmModel ToSharedLowRank(LstmModel source, RankRule rank, IReadOnlyCollection<int>? layers = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rank);
        RequireFinite(source);
        LstmNetwork network = source.Network;
        int count = network.Layers.Count;
        bool hasOutputLayer = network.OutputMatrix is not null;
        bool[] chosen = ChooseLayers(layers, count, nameof(layers));
        if (!hasOutputLayer && chosen[count - 1])
        {
            if (layers is not null)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), count - 1,
                    "The top layer of a network without an output layer cannot be compressed: its r_t is the network's output, with no consumer to refit.");
            }

            chosen[count - 1] = false;
        }

        var options = new List<LstmLayerOptions>(network.Options.Layers);
        var replacements = NewReplacements(count);
        float[]? outputWeights = null;
        for (int l = 0; l < count; l++)
        {
            if (!chosen[l])
            {
                continue;
            }

            LstmLayer layer = network.Layers[l];
            Matrix<double> recurrent = Dense(source, l, MatrixPart.Recurrent); // 4n_c × n_r
            ThinSvd svd = ThinSvd.Of(recurrent);
            int k = rank.Select(svd.SingularValues, svd.SingularValues.Length, Name(l, "Wr"), nameof(rank)); // min(4n_c, n_r)
            Matrix<double> basis = svd.Right.SubMatrix(0, layer.OutputSize, 0, k); // V_k, n_r × k
            Matrix<double> shared = basis.Transpose();                              // P, k × n_r
            Matrix<double> projection = layer.HasProjection ? shared * Dense(source, l, MatrixPart.Projection) : shared; // k × n_c

            replacements[l].Recurrent = ThinSvd.ToRowMajor(recurrent * basis);
            replacements[l].Projection = ThinSvd.ToRowMajor(projection);
            options[l] = options[l] with
            {
                ProjectionSize = k,
                ProjectionClip = 0,
                Recurrent = GateMatrixSpec.Dense,
                Projection = GateMatrixSpec.Dense,
            };

            if (l + 1 < count)
            {
                replacements[l + 1].Input = ThinSvd.ToRowMajor(Dense(source, l + 1, MatrixPart.Input) * basis);
                options[l + 1] = options[l + 1] with { Input = GateMatrixSpec.Dense };
            }
            else
            {
                ParameterBlock weights = NetworkAssembler.Find(network, "output.W");
                outputWeights = ThinSvd.ToRowMajor(ThinSvd.FromRowMajor(weights.Slice(source.Parameters), weights.Rows, weights.Columns) * basis);
            }
        }

        return NetworkAssembler.Assemble(source, network.Options with { Layers = options }, replacements, outputWeights);
    }
}
