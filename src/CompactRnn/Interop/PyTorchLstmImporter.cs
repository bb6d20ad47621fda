using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using System.Text;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Interop;

/// <summary>
/// Imports a PyTorch <c>nn.LSTM</c> state dict (with or without <c>proj_size</c>, unidirectional, <c>bias=True</c>),
/// optionally followed by an <c>nn.Linear</c> named <c>output</c>, into an <see cref="LstmNetwork"/> with dense gate
/// matrices; or, when the state dict carries <see cref="PyTorchLstmExporter.ConfigurationKey"/> metadata (written by
/// <see cref="PyTorchLstmExporter"/>), back into exactly the network it came from, compact factors included.
/// </summary>
/// <remarks>
/// <para>Mapping, per layer k (docs/math.md §4): both use the gate order i, f, g, o, so
/// <c>weight_ih_l{k}</c> [4H, in] → W_x, <c>weight_hh_l{k}</c> [4H, P] → W_r,
/// <c>weight_hr_l{k}</c> [P, H] → W_p, and the two biases fold into one: <c>b = bias_ih + bias_hh</c>.
/// PyTorch has no peepholes and no clipping, so those stay off; <c>h0</c>/<c>c0</c> map to the
/// initial r/c of each layer. The forget-gate offset is not applied: stored biases are used as-is.
/// <c>output.weight</c> [C, P] and <c>output.bias</c> [C], when present, become the output layer.</para>
/// <para>What the network cannot represent is rejected by name rather than dropped: any tensor other than the
/// names above (including a bidirectional LSTM's <c>*_reverse</c> tensors), metadata <c>batch_first</c> or
/// <c>bidirectional</c> set to true, and non-finite values.</para>
/// <para>Export from Python: <c>safetensors.torch.save_file(lstm.state_dict(), "lstm.safetensors")</c>, or as JSON
/// <c>json.dump({"tensors": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} for k, v in lstm.state_dict().items()}}, f)</c>.</para>
/// </remarks>
public static class PyTorchLstmImporter
{
    /// <summary>Builds a dense network and its flat parameter buffer from an <c>nn.LSTM</c> state dict.</summary>
    /// <param name="stateDict">The tensors, named as in <c>nn.LSTM.state_dict()</c> (plus optionally <c>output.weight</c>, <c>output.bias</c>).</param>
    /// <returns>The network (sizes inferred from the shapes) and its parameters.</returns>
    /// <remarks>Every tensor's name, shape and values are checked, and the network's size measured
    /// (<see cref="NetworkFootprint"/>, checked 64-bit arithmetic, against <see cref="ModelLoadOptions.DefaultMaxBytes"/>),
    /// before the network is built.</remarks>
    /// <exception cref="ArgumentException">A tensor is missing, unknown (e.g. a bidirectional LSTM's <c>*_reverse</c>), non-finite or has an
    /// unexpected shape, or the sizes exceed the library's limits; the message names the tensor.</exception>
    public static (LstmNetwork Network, float[] Parameters) Import(IReadOnlyDictionary<string, PyTorchTensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        RejectReverse(stateDict.Keys);
        PyTorchTensor first = Require(stateDict, "weight_ih_l0");
        if (first.Shape.Length != 2 || first.Shape[0] % 4 != 0 || first.Shape[0] == 0 || first.Shape[1] == 0)
        {
            throw new ArgumentException($"weight_ih_l0 must be [4·hidden, input] but is {first.ShapeText}.", nameof(stateDict));
        }

        int hidden = first.Shape[0] / 4, inputSize = first.Shape[1];
        int projection = 0;
        if (stateDict.TryGetValue("weight_hr_l0", out PyTorchTensor? hr))
        {
            projection = hr.Shape.Length == 2 && hr.Shape[0] > 0 && hr.Shape[1] == hidden ? hr.Shape[0]
                : throw new ArgumentException($"Tensor 'weight_hr_l0' has shape {hr.ShapeText}; expected [projection, {hidden}] with projection ≥ 1.", nameof(stateDict));
        }

        int layerCount = 0;
        while (layerCount <= LstmNetworkOptions.MaxLayers && stateDict.ContainsKey(Name("weight_ih_l", layerCount)))
        {
            layerCount++;
        }

        if (layerCount > LstmNetworkOptions.MaxLayers)
        {
            throw new ArgumentException($"The state dict has more than {LstmNetworkOptions.MaxLayers} layers (weight_ih_l0 … weight_ih_l{LstmNetworkOptions.MaxLayers}).", nameof(stateDict));
        }

        bool hasOutput = stateDict.ContainsKey(PyTorchParameterNames.OutputWeight) || stateDict.ContainsKey(PyTorchParameterNames.OutputBias);
        RejectUnknown(stateDict.Keys, layerCount, projection > 0, hasOutput);
        int recurrentSize = projection > 0 ? projection : hidden;
        int classes = 0;
        if (hasOutput)
        {
            PyTorchTensor outputWeight = Require(stateDict, PyTorchParameterNames.OutputWeight);
            classes = outputWeight.Shape.Length == 2 && outputWeight.Shape[0] > 0 ? outputWeight.Shape[0] : 0;
            if (classes == 0 || outputWeight.Shape[1] != recurrentSize)
            {
                throw new ArgumentException($"Tensor '{PyTorchParameterNames.OutputWeight}' has shape {outputWeight.ShapeText}; expected [classes, {recurrentSize}].", nameof(stateDict));
            }
        }

        // Every shape and value is checked before anything is built, so a hostile shape cannot size an allocation.
        for (int k = 0; k < layerCount; k++)
        {
            int layerInput = k == 0 ? inputSize : recurrentSize;
            Checked(stateDict, Name("weight_ih_l", k), [4 * hidden, layerInput]);
            Checked(stateDict, Name("weight_hh_l", k), [4 * hidden, recurrentSize]);
            Checked(stateDict, Name("bias_ih_l", k), [4 * hidden]);
            Checked(stateDict, Name("bias_hh_l", k), [4 * hidden]);
            if (projection > 0)
            {
                Checked(stateDict, Name("weight_hr_l", k), [projection, hidden]);
            }
        }

        if (hasOutput)
        {
            Checked(stateDict, PyTorchParameterNames.OutputWeight, [classes, recurrentSize]);
            Checked(stateDict, PyTorchParameterNames.OutputBias, [classes]);
        }

        var layers = new LstmLayerOptions[layerCount];
        for (int k = 0; k < layerCount; k++)
        {
            layers[k] = new LstmLayerOptions { HiddenSize = hidden, ProjectionSize = projection, ForgetBias = 0f };
        }

        var options = new LstmNetworkOptions { InputSize = inputSize, Layers = layers, OutputSize = classes };
        Measure(options, "The state dict's shapes describe");
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        for (int k = 0; k < layerCount; k++)
        {
            Span<float> slice = network.LayerParameters(parameters.AsSpan(), k);
            int offset = 0;
            Copy(stateDict, Name("weight_ih_l", k), slice, ref offset);
            Copy(stateDict, Name("weight_hh_l", k), slice, ref offset);
            ReadOnlySpan<float> biasIh = stateDict[Name("bias_ih_l", k)].Data;
            ReadOnlySpan<float> biasHh = stateDict[Name("bias_hh_l", k)].Data;
            for (int i = 0; i < 4 * hidden; i++)
            {
                slice[offset + i] = biasIh[i] + biasHh[i]; // b = b_ih + b_hh
            }

            offset += 4 * hidden;
            if (projection > 0)
            {
                Copy(stateDict, Name("weight_hr_l", k), slice, ref offset);
            }
        }

        if (hasOutput)
        {
            int outputOffset = network.ParameterCount - (classes * (recurrentSize + 1));
            stateDict[PyTorchParameterNames.OutputWeight].Data.CopyTo(parameters.AsSpan(outputOffset));
            stateDict[PyTorchParameterNames.OutputBias].Data.CopyTo(parameters.AsSpan(outputOffset + (classes * recurrentSize)));
        }

        return (network, parameters);
    }

    /// <summary>
    /// Imports a state dict with its metadata: with <see cref="PyTorchLstmExporter.ConfigurationKey"/>, exactly the
    /// exported network (any gate-matrix kinds, from their factor tensors); without it, a dense network as
    /// <see cref="Import(IReadOnlyDictionary{string, PyTorchTensor})"/>.
    /// </summary>
    /// <param name="stateDict">Tensors and metadata, e.g. from <see cref="StateDictFile.Read"/>.</param>
    /// <exception cref="ArgumentException">The state dict cannot be represented; the message names the tensor or metadata entry.</exception>
    public static (LstmNetwork Network, float[] Parameters) Import(StateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        RejectReverse(stateDict.Tensors.Keys);
        foreach (string flag in (string[])["batch_first", "bidirectional"])
        {
            if (stateDict.Metadata.TryGetValue(flag, out string? value) && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) && value != "0")
            {
                throw new ArgumentException(flag == "batch_first"
                    ? $"Metadata batch_first = '{value}': a stored network is time-major; import it and call it batch-first with new TorchLstm(network, parameters, batchFirst: true)."
                    : $"Metadata bidirectional = '{value}': CompactRnn layers are unidirectional.", nameof(stateDict));
            }
        }

        return stateDict.Metadata.TryGetValue(PyTorchLstmExporter.ConfigurationKey, out string? configuration)
            ? ImportExported(stateDict.Tensors, configuration)
            : Import(stateDict.Tensors);
    }

    /// <summary>Reads a state dict file (<c>.safetensors</c>, or <c>.json</c>; see <see cref="StateDictFile"/>) and imports it.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is malformed or holds what a network cannot represent; the message names the path and the tensor.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (LstmNetwork Network, float[] Parameters) ImportFile(string path) => ImportRead(path, StateDictFile.Read(path), Import);

    /// <summary>Reads tensors from a JSON file <c>{"tensors": {name: {"shape": [...], "data": [...]}}}</c> and imports them as a dense network (metadata is ignored).</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="InvalidDataException">The file is not in that form or holds what a network cannot represent; the message names the path and the tensor.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (LstmNetwork Network, float[] Parameters) ImportJson(string path) => ImportRead(path, StateDictFile.ReadJson(path), d => Import(d.Tensors));

    /// <summary>Reads the <c>tensors</c> object of a JSON file into named tensors (validated and bounded as <see cref="StateDictFile.Read"/>).</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="InvalidDataException">The file is not in that form; the message names the path and the tensor.</exception>
    public static Dictionary<string, PyTorchTensor> ReadTensors(string path)
        => new(StateDictFile.ReadJson(path).Tensors, StringComparer.Ordinal);

    // Content problems of a file are InvalidDataException naming the file, whatever the in-memory import calls them.
    private static (LstmNetwork Network, float[] Parameters) ImportRead(string path, StateDict stateDict, Func<StateDict, (LstmNetwork, float[])> import)
    {
        try
        {
            return import(stateDict);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"'{path}': {error.Message}", error);
        }
    }

    private static (LstmNetwork Network, float[] Parameters) ImportExported(IReadOnlyDictionary<string, PyTorchTensor> tensors, string configuration)
    {
        LstmNetworkOptions options;
        try
        {
            options = NetworkOptionsJson.Read(Encoding.UTF8.GetBytes(configuration));
        }
        catch (InvalidDataException error)
        {
            throw new ArgumentException($"Metadata {PyTorchLstmExporter.ConfigurationKey} is not a valid configuration: {error.Message}", nameof(tensors), error);
        }

        // The number of values the exporter writes for this configuration, compared before anything is built: fewer
        // stored values means the configuration claims more than the file holds. More is rejected below, by name,
        // and cannot make the build expensive, since the network is then smaller than the data already read.
        long expected = Measure(options, $"Metadata {PyTorchLstmExporter.ConfigurationKey} describes").ParameterCount + ExtraExportedValues(options);
        long stored = tensors.Values.Sum(t => (long)t.Data.Length);
        if (stored < expected)
        {
            throw new ArgumentException($"Metadata {PyTorchLstmExporter.ConfigurationKey} describes a state dict of {expected} values (parameters, bias_hh and dense forms) but it holds only {stored}.", nameof(tensors));
        }

        // No Toeplitz-like dense forms: batch calls that use them build them (as after LstmModel.Load).
        var network = new LstmNetwork(options, denseForms: false);
        float[] parameters = new float[network.ParameterCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedParameterBlock block in PyTorchParameterNames.For(network))
        {
            ReadOnlySpan<float> data = Checked(tensors, block.Name, block.Shape);
            Span<float> destination = block.Block.Slice(parameters.AsSpan());
            data.CopyTo(destination);
            used.Add(block.Name);
            if (block.Name.StartsWith("bias_ih_l", StringComparison.Ordinal))
            {
                string partner = "bias_hh_l" + block.Name["bias_ih_l".Length..];
                TensorPrimitives.Add(destination, Checked(tensors, partner, block.Shape), destination); // b = b_ih + b_hh (exact when b_hh = 0)
                used.Add(partner);
            }
        }

        // A compact matrix's dense form is derived from its factors: it must still be that (it may not be edited outside).
        for (int k = 0; k < network.Layers.Count; k++)
        {
            LstmLayer layer = network.Layers[k];
            ReadOnlySpan<float> layerParameters = network.LayerParameters((ReadOnlySpan<float>)parameters, k);
            CheckDenseForm(tensors, used, PyTorchParameterNames.Weight("ih", k), layer.InputMatrix, layer.InputParameters(layerParameters));
            CheckDenseForm(tensors, used, PyTorchParameterNames.Weight("hh", k), layer.RecurrentMatrix, layer.RecurrentParameters(layerParameters));
            if (layer.ProjectionMatrix is not null)
            {
                CheckDenseForm(tensors, used, PyTorchParameterNames.Weight("hr", k), layer.ProjectionMatrix, layer.ProjectionParameters(layerParameters));
            }
        }

        foreach (string name in tensors.Keys)
        {
            if (!used.Contains(name))
            {
                throw new ArgumentException($"The state dict has a tensor '{name}' that the network of its {PyTorchLstmExporter.ConfigurationKey} has no place for.", nameof(tensors));
            }
        }

        return (network, parameters);
    }

    private static void CheckDenseForm(IReadOnlyDictionary<string, PyTorchTensor> tensors, HashSet<string> used, string name, GateMatrix matrix, ReadOnlySpan<float> parameters)
    {
        if (matrix.IsDense)
        {
            return; // its tensor is its parameters, read as such
        }

        ReadOnlySpan<float> stored = Checked(tensors, name, [matrix.OutputSize, matrix.InputSize]); // before allocating its size
        float[] dense = new float[stored.Length];
        matrix.ToDense(parameters, dense);
        float scale = TensorPrimitives.MaxMagnitude(dense);
        for (int i = 0; i < dense.Length; i++)
        {
            if (Math.Abs(stored[i] - dense[i]) > 1e-5f * Math.Max(1f, scale))
            {
                throw new ArgumentException(
                    $"Tensor '{name}' is not the dense form of its factors '{name}.*' (element {i}: {stored[i]} vs {dense[i]}). Weights changed outside CompactRnn cannot be mapped back onto the factors: drop the {PyTorchLstmExporter.ConfigurationKey} metadata and the factor tensors to import them as a dense network, then compress it.",
                    nameof(tensors));
            }
        }

        used.Add(name);
    }

    private static void RejectReverse(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (name.EndsWith("_reverse", StringComparison.Ordinal) || name.Contains("_reverse.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Tensor '{name}' belongs to a bidirectional nn.LSTM; CompactRnn layers are unidirectional, so the reverse direction cannot be imported.", nameof(names));
            }
        }
    }

    // Validates the options and measures them in checked 64-bit arithmetic against the default load budget.
    private static NetworkFootprint Measure(LstmNetworkOptions options, string what)
    {
        NetworkFootprint footprint;
        try
        {
            footprint = NetworkFootprint.Measure(options);
        }
        catch (Exception error) when (error is ArgumentException or OverflowException)
        {
            throw new ArgumentException($"{what} a network beyond the library's limits: {error.Message}", nameof(options), error);
        }

        return footprint.LoadBytes <= ModelLoadOptions.DefaultMaxBytes ? footprint
            : throw new ArgumentException($"{what} a network that needs {footprint.LoadBytes:N0} bytes once built; the limit is {ModelLoadOptions.DefaultMaxBytes:N0}.", nameof(options));
    }

    // What an export writes besides the parameters: bias_hh (zeros) per layer and the dense form of every compact matrix.
    private static long ExtraExportedValues(LstmNetworkOptions options)
    {
        long extra = 0, inputSize = options.InputSize;
        foreach (LstmLayerOptions layer in options.Layers)
        {
            long gates = 4L * layer.HiddenSize, output = layer.OutputSize;
            extra = checked(extra + gates + Dense(layer.Input, gates, inputSize) + Dense(layer.Recurrent, gates, output)
                + (layer.ProjectionSize > 0 ? Dense(layer.Projection, output, layer.HiddenSize) : 0));
            inputSize = output;
        }

        return extra;

        static long Dense(GateMatrixSpec spec, long rows, long columns) => spec.BuildsDense ? 0 : checked(rows * columns);
    }

    private static void RejectUnknown(IEnumerable<string> stateDict, int layerCount, bool projection, bool output)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < layerCount; k++)
        {
            known.UnionWith([Name("weight_ih_l", k), Name("weight_hh_l", k), Name("bias_ih_l", k), Name("bias_hh_l", k)]);
            if (projection)
            {
                known.Add(Name("weight_hr_l", k));
            }
        }

        if (output)
        {
            known.UnionWith([PyTorchParameterNames.OutputWeight, PyTorchParameterNames.OutputBias]);
        }

        foreach (string name in stateDict)
        {
            if (!known.Contains(name))
            {
                throw new ArgumentException(
                    $"The state dict has an unknown tensor '{name}' (a {layerCount}-layer nn.LSTM{(projection ? " with proj_size" : "")} has weight_ih_l*, weight_hh_l*, bias_ih_l*, bias_hh_l*{(projection ? ", weight_hr_l*" : "")}; an output layer is output.weight, output.bias). Remove it or use the prefix-free nn.LSTM state dict.",
                    nameof(stateDict));
            }
        }
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

        int bad = Array.FindIndex(tensor.Data, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentException($"Tensor '{name}' holds {tensor.Data[bad]} at element {bad}.", nameof(stateDict));
        }

        return tensor.Data;
    }

    private static void Copy(IReadOnlyDictionary<string, PyTorchTensor> stateDict, string name, Span<float> destination, ref int offset)
    {
        ReadOnlySpan<float> data = stateDict[name].Data; // shape and values checked before the network was built
        data.CopyTo(destination[offset..]);
        offset += data.Length;
    }
}
