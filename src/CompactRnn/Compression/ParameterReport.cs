using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Compression;

/// <summary>
/// Per-layer and total parameter counts of a network against the dense network of the same sizes
/// (what a CLI <c>info</c> command prints). To compare a compressed model with the model it came from,
/// compare the two reports' <see cref="Total"/>s: a shared-projection compression changes the sizes, so
/// its "dense of the same sizes" is the dense LSTMP with projection k, not the original.
/// </summary>
/// <param name="Layers">One entry per layer, bottom first.</param>
/// <param name="OutputLayerParameters">W_out and b_out (0 without an output layer).</param>
public sealed record ParameterReport(IReadOnlyList<LayerParameterCount> Layers, long OutputLayerParameters)
{
    /// <summary>All trainable floats.</summary>
    public long Total => Layers.Sum(l => l.Parameters) + OutputLayerParameters;

    /// <summary>All floats of the same sizes with every gate matrix dense.</summary>
    public long DenseTotal => Layers.Sum(l => l.DenseParameters) + OutputLayerParameters;

    /// <summary><see cref="DenseTotal"/> / <see cref="Total"/>.</summary>
    public double CompressionRatio => (double)DenseTotal / Total;

    /// <summary>Counts the parameters of <paramref name="network"/>.</summary>
    public static ParameterReport Of(LstmNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new LayerParameterCount[network.Layers.Count];
        long layerTotal = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            LstmLayer layer = network.Layers[l];
            layers[l] = new LayerParameterCount(l, Describe(layer.InputMatrix), Describe(layer.RecurrentMatrix),
                layer.ProjectionMatrix is null ? "none" : Describe(layer.ProjectionMatrix),
                layer.InputSize, layer.HiddenSize, layer.OutputSize, layer.ParameterCount, layer.DenseParameterCount);
            layerTotal += layer.ParameterCount;
        }

        return new ParameterReport(layers, network.ParameterCount - layerTotal);
    }

    /// <summary>The kind and size parameter of a built matrix, e.g. <c>dense</c>, <c>lowrank:k=16</c>, <c>toeplitz:r=4</c>.</summary>
    public static string Describe(GateMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix switch
        {
            LowRankGateMatrix lowRank => string.Create(CultureInfo.InvariantCulture, $"{lowRank.Kind}:k={lowRank.Rank}"),
            ToeplitzLikeGateMatrix toeplitz => string.Create(CultureInfo.InvariantCulture, $"{toeplitz.Kind}:r={toeplitz.DisplacementRank}"),
            SharedLowRankGateMatrix shared => string.Create(CultureInfo.InvariantCulture, $"{shared.Kind}:k={shared.Rank}"),
            _ => matrix.Kind,
        };
    }

    /// <summary>A fixed-width text table: one line per layer, the output layer and the total.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{"layer",-6} {"n_in",6} {"n_c",6} {"n_r",6} {"W_x",-18} {"W_r",-18} {"W_p",-12} {"params",12} {"dense",12} {"ratio",7}");
        foreach (LayerParameterCount layer in Layers)
        {
            text.AppendLine(invariant,
                $"{layer.Index,-6} {layer.InputSize,6} {layer.HiddenSize,6} {layer.OutputSize,6} {layer.InputKind,-18} {layer.RecurrentKind,-18} {layer.ProjectionKind,-12} {layer.Parameters,12} {layer.DenseParameters,12} {layer.CompressionRatio,7:F2}");
        }

        if (OutputLayerParameters > 0)
        {
            text.AppendLine(invariant, $"{"output",-6} {string.Empty,6} {string.Empty,6} {string.Empty,6} {"dense",-18} {string.Empty,-18} {string.Empty,-12} {OutputLayerParameters,12} {OutputLayerParameters,12} {1.0,7:F2}");
        }

        text.AppendLine(invariant, $"{"total",-6} {string.Empty,6} {string.Empty,6} {string.Empty,6} {string.Empty,-18} {string.Empty,-18} {string.Empty,-12} {Total,12} {DenseTotal,12} {CompressionRatio,7:F2}");
        return text.ToString();
    }
}
