using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Interop;

/// <summary>
/// Exports a network as a PyTorch <c>nn.LSTM</c> state dict: dense layers exactly, compact layers as their dense
/// equivalent (so <c>nn.LSTM.load_state_dict</c> computes the same function) plus their own factor tensors under
/// the names of <see cref="PyTorchParameterNames"/>, and the configuration as metadata so
/// <see cref="PyTorchLstmImporter"/> rebuilds exactly the same network.
/// </summary>
/// <remarks>
/// <para>Tensors, per layer k in nn.LSTM's order: <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c> (= b),
/// <c>bias_hh_l{k}</c> (zeros), <c>weight_hr_l{k}</c> (with a projection); then, for compact matrices, their factors
/// (<c>weight_ih_l{k}.U</c>, <c>weight_hh_l{k}.G</c>, …); then <c>output.weight</c> and <c>output.bias</c> when the network
/// has an output layer (load them into an <c>nn.Linear</c>). Metadata: <c>format</c> = <c>pt</c> and
/// <see cref="ConfigurationKey"/> = the configuration JSON (<see cref="NetworkOptionsJson"/>).</para>
/// <para>In PyTorch, load the nn.LSTM part with
/// <c>lstm.load_state_dict({k: v for k, v in sd.items() if "." not in k})</c>.</para>
/// <para>nn.LSTM has no peepholes, no cell or projection clipping and equal sizes in every layer. Unless
/// <c>requireNnLstm</c> is false, a network using any of them is rejected, naming the layer and the feature;
/// with false, peepholes are written as <c>weight_peephole_l{k}</c> [3, H] (rows p_i, p_f, p_o) and the export still
/// round-trips through <see cref="PyTorchLstmImporter"/>, but nn.LSTM would compute something else.</para>
/// </remarks>
public static class PyTorchLstmExporter
{
    /// <summary>The metadata key holding the network configuration (JSON).</summary>
    public const string ConfigurationKey = "compactrnn.configuration";

    /// <summary>The state dict of <paramref name="network"/> with <paramref name="parameters"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">Its flat parameter buffer.</param>
    /// <param name="requireNnLstm">Reject what nn.LSTM cannot compute (peepholes, clipping, unequal layer sizes).</param>
    /// <exception cref="ArgumentException">With <paramref name="requireNnLstm"/>, the network uses such a feature; the message names it.</exception>
    public static StateDict Export(LstmNetwork network, ReadOnlySpan<float> parameters, bool requireNnLstm = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        SpanGuard.RequireLength(parameters.Length, network.ParameterCount, nameof(parameters));
        if (requireNnLstm)
        {
            RequireNnLstm(network);
        }

        var tensors = new Dictionary<string, PyTorchTensor>(StringComparer.Ordinal);
        var factors = new List<KeyValuePair<string, PyTorchTensor>>();
        IReadOnlyList<NamedParameterBlock> named = PyTorchParameterNames.For(network);
        for (int k = 0; k < network.Layers.Count; k++)
        {
            LstmLayer layer = network.Layers[k];
            ReadOnlySpan<float> layerParameters = network.LayerParameters(parameters, k);
            tensors.Add(PyTorchParameterNames.Weight("ih", k), Dense(layer.InputMatrix, layer.InputParameters(layerParameters)));
            tensors.Add(PyTorchParameterNames.Weight("hh", k), Dense(layer.RecurrentMatrix, layer.RecurrentParameters(layerParameters)));
            tensors.Add(PyTorchParameterNames.Bias("ih", k), new PyTorchTensor([4 * layer.HiddenSize], layer.Bias(layerParameters).ToArray()));
            tensors.Add(PyTorchParameterNames.Bias("hh", k), new PyTorchTensor([4 * layer.HiddenSize], new float[4 * layer.HiddenSize]));
            if (layer.ProjectionMatrix is not null)
            {
                tensors.Add(PyTorchParameterNames.Weight("hr", k), Dense(layer.ProjectionMatrix, layer.ProjectionParameters(layerParameters)));
            }
        }

        foreach (NamedParameterBlock block in named)
        {
            if (!tensors.ContainsKey(block.Name))
            {
                factors.Add(new(block.Name, new PyTorchTensor(block.Shape, block.Block.Slice(parameters).ToArray())));
            }
        }

        foreach (KeyValuePair<string, PyTorchTensor> factor in factors)
        {
            tensors.Add(factor.Key, factor.Value);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            [ConfigurationKey] = Encoding.UTF8.GetString(NetworkOptionsJson.Write(network.Options)),
        };
        return new StateDict(tensors, metadata);
    }

    /// <summary>Writes <paramref name="model"/>'s state dict to <paramref name="path"/> (safetensors, or JSON for <c>.json</c>), atomically.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="requireNnLstm">As for <see cref="Export"/>.</param>
    public static void ExportFile(LstmModel model, string path, bool requireNnLstm = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        StateDictFile.Write(path, Export(model.Network, model.Parameters, requireNnLstm));
    }

    private static PyTorchTensor Dense(GateMatrix matrix, ReadOnlySpan<float> parameters)
    {
        float[] dense = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(parameters, dense);
        return new PyTorchTensor([matrix.OutputSize, matrix.InputSize], dense);
    }

    private static void RequireNnLstm(LstmNetwork network)
    {
        for (int k = 0; k < network.Layers.Count; k++)
        {
            LstmLayerOptions layer = network.Layers[k].Options;
            string? problem = layer.Peepholes ? "has peepholes"
                : layer.CellClip > 0 ? string.Create(CultureInfo.InvariantCulture, $"clips its cell at {layer.CellClip}")
                : layer.ProjectionClip > 0 ? string.Create(CultureInfo.InvariantCulture, $"clips its projection at {layer.ProjectionClip}")
                : network.Layers[k].HiddenSize != network.Layers[0].HiddenSize || network.Layers[k].OutputSize != network.Layers[0].OutputSize
                    ? "has other sizes than layer 0" : null;
            if (problem is not null)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Layer {k} {problem}, which nn.LSTM cannot represent; export with requireNnLstm: false to keep it for CompactRnn (PyTorch's nn.LSTM would then compute something else)."),
                    nameof(network));
            }
        }
    }
}
