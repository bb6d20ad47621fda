using System;
using System.Collections.Generic;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Compression;

/// <summary>
/// Builds a compressed model: the new structure's parameter buffer is filled from the replacement
/// matrices where given and from the source's parameters everywhere else (biases, peepholes, untouched
/// matrices, the output bias; a layer's gate bias b may be shifted). The per-layer layout is <c>Wx | Wr | b | peepholes | Wp</c> (see
/// <see cref="LstmLayer"/>), so each part is found from the preceding matrices' parameter counts.
/// </summary>
internal static class NetworkAssembler
{
    /// <summary>Assembles the new model.</summary>
    /// <param name="source">The trained model.</param>
    /// <param name="options">The new structure.</param>
    /// <param name="replacements">One entry per layer.</param>
    /// <param name="outputWeights">W_out's new parameters, or null to copy.</param>
    public static LstmModel Assemble(LstmModel source, LstmNetworkOptions options, IReadOnlyList<LayerReplacement> replacements, float[]? outputWeights)
    {
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        LstmNetwork old = source.Network;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LstmLayer from = old.Layers[l], to = network.Layers[l];
            ReadOnlySpan<float> fromParameters = old.LayerParameters(source.Parameters, l);
            Span<float> toParameters = network.LayerParameters(parameters.AsSpan(), l);
            int fromOffset = 0, toOffset = 0;
            Place(replacements[l].Input, from.InputMatrix.ParameterCount, to.InputMatrix.ParameterCount, fromParameters, toParameters, ref fromOffset, ref toOffset, "Wx", l);
            Place(replacements[l].Recurrent, from.RecurrentMatrix.ParameterCount, to.RecurrentMatrix.ParameterCount, fromParameters, toParameters, ref fromOffset, ref toOffset, "Wr", l);
            int gateValues = (4 + (from.Options.Peepholes ? 3 : 0)) * from.HiddenSize; // b and peepholes, copied (b shifted where a fit asks)
            if (replacements[l].BiasShift is { } shift)
            {
                Require(shift.Length == 4 * from.HiddenSize, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layers.{l}.b"));
                for (int i = 0; i < shift.Length; i++)
                {
                    toParameters[toOffset + i] = fromParameters[fromOffset + i] + shift[i]; // b comes first, then the peepholes
                }

                Place(null, gateValues - shift.Length, gateValues - shift.Length, fromParameters, toParameters, ref fromOffset, ref toOffset, "b", l, skip: shift.Length);
            }
            else
            {
                Place(null, gateValues, gateValues, fromParameters, toParameters, ref fromOffset, ref toOffset, "b", l);
            }

            Place(replacements[l].Projection, from.ProjectionMatrix?.ParameterCount ?? 0, to.ProjectionMatrix?.ParameterCount ?? 0, fromParameters, toParameters, ref fromOffset, ref toOffset, "Wp", l);
        }

        if (network.OutputMatrix is not null)
        {
            ParameterBlock fromWeights = Find(old, "output.W"), fromBias = Find(old, "output.b");
            ParameterBlock toWeights = Find(network, "output.W"), toBias = Find(network, "output.b");
            ReadOnlySpan<float> weights = outputWeights ?? fromWeights.Slice(source.Parameters);
            Require(weights.Length == toWeights.Length, "output.W");
            weights.CopyTo(toWeights.Slice(parameters.AsSpan()));
            fromBias.Slice(source.Parameters).CopyTo(toBias.Slice(parameters.AsSpan()));
        }

        return new LstmModel(network, parameters);
    }

    private static void Place(float[]? replacement, int fromCount, int toCount, ReadOnlySpan<float> from, Span<float> to,
        ref int fromOffset, ref int toOffset, string part, int layer, int skip = 0)
    {
        fromOffset += skip;
        toOffset += skip;
        ReadOnlySpan<float> values = replacement ?? from.Slice(fromOffset, fromCount);
        Require(values.Length == toCount, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layers.{layer}.{part}"));
        values.CopyTo(to.Slice(toOffset, toCount));
        fromOffset += fromCount;
        toOffset += toCount;
    }

    /// <summary>The block called <paramref name="name"/> of the network's flat buffer.</summary>
    public static ParameterBlock Find(LstmNetwork network, string name)
    {
        foreach (ParameterBlock block in network.ParameterBlocks)
        {
            if (block.Name == name)
            {
                return block;
            }
        }

        throw new InvalidOperationException($"The network has no parameter block '{name}'.");
    }

    // An internal consistency check: a mismatch is a bug in the compressor, not a caller error.
    private static void Require(bool condition, string part)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The parameters of {part} do not match the new structure.");
        }
    }
}
