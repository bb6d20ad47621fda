using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Interop;

/// <summary>
/// Imports the weights of a PyTorch <c>nn.LSTM</c> (with or without <c>proj_size</c>, unidirectional,
/// <c>bias=True</c>) into an <see cref="LstmNetwork"/> with dense gate matrices and no output layer.
/// </summary>
/// <remarks>
/// <para>Mapping, per layer k (docs/math.md §4): both use the gate order i, f, g, o, so
/// <c>weight_ih_l{k}</c> [4H, in] → W_x, <c>weight_hh_l{k}</c> [4H, P] → W_r,
/// <c>weight_hr_l{k}</c> [P, H] → W_p, and the two biases fold into one: <c>b = bias_ih + bias_hh</c>.
/// PyTorch has no peepholes and no clipping, so those stay off; <c>h0</c>/<c>c0</c> map to the
/// initial r/c of each layer. The forget-gate offset is not applied: stored biases are used as-is.</para>
/// <para>Export from Python (one line per tensor, plain JSON):
/// <c>json.dump({"tensors": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in lstm.state_dict().items()}}, f)</c>.</para>
/// </remarks>
public static class PyTorchLstmImporter
{
    /// <summary>Builds the network and its flat parameter buffer from named tensors.</summary>
    /// <param name="stateDict">The tensors, named as in <c>nn.LSTM.state_dict()</c>.</param>
    /// <returns>The network (sizes inferred from the shapes) and its parameters.</returns>
    /// <exception cref="ArgumentException">A tensor is missing or has an unexpected shape; the message names it.</exception>
    public static (LstmNetwork Network, float[] Parameters) Import(IReadOnlyDictionary<string, PyTorchTensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        PyTorchTensor first = Require(stateDict, "weight_ih_l0");
        if (first.Shape.Length != 2 || first.Shape[0] % 4 != 0)
        {
            throw new ArgumentException($"weight_ih_l0 must be [4·hidden, input] but is {first.ShapeText}.", nameof(stateDict));
        }

        int hidden = first.Shape[0] / 4, inputSize = first.Shape[1];
        int projection = stateDict.TryGetValue("weight_hr_l0", out PyTorchTensor? hr) ? hr.Shape[0] : 0;
        int layerCount = 0;
        while (stateDict.ContainsKey(Name("weight_ih_l", layerCount)))
        {
            layerCount++;
        }

        var layers = new LstmLayerOptions[layerCount];
        for (int k = 0; k < layerCount; k++)
        {
            layers[k] = new LstmLayerOptions { HiddenSize = hidden, ProjectionSize = projection, ForgetBias = 0f };
        }

        var network = new LstmNetwork(new LstmNetworkOptions { InputSize = inputSize, Layers = layers });
        float[] parameters = new float[network.ParameterCount];
        int recurrentSize = projection > 0 ? projection : hidden;
        for (int k = 0; k < layerCount; k++)
        {
            Span<float> slice = network.LayerParameters(parameters.AsSpan(), k);
            int layerInput = k == 0 ? inputSize : recurrentSize;
            int offset = 0;
            Copy(stateDict, Name("weight_ih_l", k), [4 * hidden, layerInput], slice, ref offset);
            Copy(stateDict, Name("weight_hh_l", k), [4 * hidden, recurrentSize], slice, ref offset);
            ReadOnlySpan<float> biasIh = Checked(stateDict, Name("bias_ih_l", k), [4 * hidden]);
            ReadOnlySpan<float> biasHh = Checked(stateDict, Name("bias_hh_l", k), [4 * hidden]);
            for (int i = 0; i < 4 * hidden; i++)
            {
                slice[offset + i] = biasIh[i] + biasHh[i]; // b = b_ih + b_hh
            }

            offset += 4 * hidden;
            if (projection > 0)
            {
                Copy(stateDict, Name("weight_hr_l", k), [projection, hidden], slice, ref offset);
            }
        }

        return (network, parameters);
    }

    /// <summary>Reads tensors from a JSON file <c>{"tensors": {name: {"shape": [...], "data": [...]}}}</c> and imports them.</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="InvalidDataException">The file is not in that form; the message names the problem.</exception>
    public static (LstmNetwork Network, float[] Parameters) ImportJson(string path) => Import(ReadTensors(path));

    /// <summary>Reads the <c>tensors</c> object of a JSON file into named tensors.</summary>
    /// <param name="path">The JSON file.</param>
    public static Dictionary<string, PyTorchTensor> ReadTensors(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream);
        if (!document.RootElement.TryGetProperty("tensors", out JsonElement tensors) || tensors.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{path}' has no \"tensors\" object.");
        }

        var result = new Dictionary<string, PyTorchTensor>(StringComparer.Ordinal);
        foreach (JsonProperty property in tensors.EnumerateObject())
        {
            if (!property.Value.TryGetProperty("shape", out JsonElement shapeElement) || !property.Value.TryGetProperty("data", out JsonElement dataElement))
            {
                throw new InvalidDataException($"Tensor '{property.Name}' in '{path}' needs \"shape\" and \"data\".");
            }

            int[] shape = new int[shapeElement.GetArrayLength()];
            long count = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = shapeElement[d].GetInt32();
                count *= shape[d];
            }

            if (count != dataElement.GetArrayLength())
            {
                throw new InvalidDataException($"Tensor '{property.Name}' in '{path}' has shape [{string.Join(", ", shape)}] but {dataElement.GetArrayLength()} elements.");
            }

            float[] data = new float[count];
            int i = 0;
            foreach (JsonElement value in dataElement.EnumerateArray())
            {
                data[i++] = (float)value.GetDouble();
            }

            result[property.Name] = new PyTorchTensor(shape, data);
        }

        return result;
    }

    private static string Name(string prefix, int layer) => prefix + layer.ToString(CultureInfo.InvariantCulture);

    private static PyTorchTensor Require(IReadOnlyDictionary<string, PyTorchTensor> stateDict, string name)
        => stateDict.TryGetValue(name, out PyTorchTensor? tensor) ? tensor
            : throw new ArgumentException($"The state dict has no tensor '{name}'.", nameof(stateDict));

    private static ReadOnlySpan<float> Checked(IReadOnlyDictionary<string, PyTorchTensor> stateDict, string name, int[] shape)
    {
        PyTorchTensor tensor = Require(stateDict, name);
        if (!tensor.HasShape(shape))
        {
            throw new ArgumentException($"Tensor '{name}' has shape {tensor.ShapeText}; expected [{string.Join(", ", shape)}].", nameof(stateDict));
        }

        return tensor.Data;
    }

    private static void Copy(IReadOnlyDictionary<string, PyTorchTensor> stateDict, string name, int[] shape, Span<float> destination, ref int offset)
    {
        ReadOnlySpan<float> data = Checked(stateDict, name, shape);
        data.CopyTo(destination[offset..]);
        offset += data.Length;
    }
}
