using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Interop;

/// <summary>
/// The PyTorch-style name and shape of every parameter block of an <see cref="LstmNetwork"/>, in storage
/// order: the names <c>nn.LSTM.state_dict()</c> uses where the block is one, documented names otherwise.
/// </summary>
/// <remarks>
/// <para>Per layer k (docs/math.md §4):</para>
/// <list type="bullet">
/// <item>a dense W_x, W_r, W_p: <c>weight_ih_l{k}</c> [4H, in], <c>weight_hh_l{k}</c> [4H, P], <c>weight_hr_l{k}</c> [P, H], exactly as nn.LSTM;</item>
/// <item>a compact matrix: its own factors under the matrix's name plus the factor's, e.g. <c>weight_ih_l0.U</c>,
/// <c>weight_ih_l0.V</c> (low-rank W = U·V), <c>weight_hh_l1.G</c>, <c>weight_hh_l1.H</c> (Toeplitz-like generators),
/// <c>weight_ih_l0.block2.G</c> (stacked Toeplitz-like), with the factor's rows × columns as shape;</item>
/// <item>the one bias b: <c>bias_ih_l{k}</c> [4H] (nn.LSTM's two biases only ever appear as the sum b_ih + b_hh,
/// so ∂L/∂b_ih = ∂L/∂b_hh = ∂L/∂b, and an export writes b_ih = b, b_hh = 0);</item>
/// <item>peepholes (not in nn.LSTM): <c>weight_peephole_l{k}</c> [3, H], rows p_i, p_f, p_o;</item>
/// <item>the output layer (not in nn.LSTM): <c>output.weight</c> [C, P] and <c>output.bias</c> [C], as a <c>nn.Linear</c> named <c>output</c>.</item>
/// </list>
/// </remarks>
public static class PyTorchParameterNames
{
    /// <summary>Name of the output layer's weight.</summary>
    public const string OutputWeight = "output.weight";

    /// <summary>Name of the output layer's bias.</summary>
    public const string OutputBias = "output.bias";

    /// <summary>Every block of <paramref name="network"/> under its PyTorch-style name, with offsets into the flat buffer.</summary>
    /// <param name="network">The network.</param>
    public static IReadOnlyList<NamedParameterBlock> For(LstmNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var result = new List<NamedParameterBlock>();
        int index = 0;
        for (int k = 0; k < network.Layers.Count; k++)
        {
            LstmLayer layer = network.Layers[k];
            foreach (ParameterBlock block in layer.ParameterBlocks)
            {
                ParameterBlock shifted = network.ParameterBlocks[index++];
                result.Add(Name(layer, k, block.Name, shifted));
            }
        }

        for (; index < network.ParameterBlocks.Count; index++)
        {
            ParameterBlock block = network.ParameterBlocks[index];
            result.Add(block.Name == "output.W"
                ? new NamedParameterBlock(OutputWeight, block, [block.Rows, block.Columns])
                : new NamedParameterBlock(OutputBias, block, [block.Length]));
        }

        return result;
    }

    /// <summary>The PyTorch name of layer <paramref name="layer"/>'s W_x (<c>ih</c>), W_r (<c>hh</c>) or W_p (<c>hr</c>).</summary>
    /// <param name="kind"><c>ih</c>, <c>hh</c> or <c>hr</c>.</param>
    /// <param name="layer">The layer index k.</param>
    public static string Weight(string kind, int layer) => string.Create(CultureInfo.InvariantCulture, $"weight_{kind}_l{layer}");

    /// <summary><c>bias_ih_l{k}</c> or <c>bias_hh_l{k}</c>.</summary>
    /// <param name="kind"><c>ih</c> or <c>hh</c>.</param>
    /// <param name="layer">The layer index k.</param>
    public static string Bias(string kind, int layer) => string.Create(CultureInfo.InvariantCulture, $"bias_{kind}_l{layer}");

    /// <summary><c>weight_peephole_l{k}</c>.</summary>
    /// <param name="layer">The layer index k.</param>
    public static string Peephole(int layer) => string.Create(CultureInfo.InvariantCulture, $"weight_peephole_l{layer}");

    private static NamedParameterBlock Name(LstmLayer layer, int k, string localName, ParameterBlock block)
    {
        if (localName == "b")
        {
            return new NamedParameterBlock(Bias("ih", k), block, [block.Length]);
        }

        if (localName == "peepholes")
        {
            return new NamedParameterBlock(Peephole(k), block, [3, layer.HiddenSize]);
        }

        (string prefix, string kind, GateMatrix matrix) = localName[..3] switch
        {
            "Wx." => ("Wx.", "ih", layer.InputMatrix),
            "Wr." => ("Wr.", "hh", layer.RecurrentMatrix),
            "Wp." => ("Wp.", "hr", layer.ProjectionMatrix!),
            _ => throw new InvalidOperationException($"Unexpected layer block '{localName}'."),
        };
        string factor = localName[prefix.Length..];
        string name = matrix.IsDense ? Weight(kind, k) : Weight(kind, k) + "." + factor;
        return new NamedParameterBlock(name, block, [block.Rows, block.Columns]);
    }
}
