using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Interop;

/// <summary>State dicts both ways: nn.LSTM names out and in, safetensors and JSON, exact round trips of every kind, and rejections by name.</summary>
public sealed class PyTorchExportTests
{
    [Theory]
    [InlineData("lstm_l3", "sd.safetensors")]
    [InlineData("lstmp_l2_varlen", "sd.safetensors")]
    [InlineData("lstmp_l3", "sd.json")]
    public void PyTorchStateDict_ImportExportImport_GivesTheSameTensorsAndParameters(string fixture, string file)
    {
        Dictionary<string, PyTorchTensor> original = TorchLstmTests.Weights(TorchLstmTests.Fixture(fixture).Tensors);
        var (network, parameters) = PyTorchLstmImporter.Import(original);
        using var folder = new TemporaryDirectory();
        string path = folder.File(file);
        PyTorchLstmExporter.ExportFile(new LstmModel(network, parameters), path);

        StateDict exported = StateDictFile.Read(path);
        foreach (var (name, tensor) in original)
        {
            float[] expected = name.StartsWith("bias_ih", StringComparison.Ordinal)
                ? [.. tensor.Data.Zip(original["bias_hh" + name["bias_ih".Length..]].Data, (a, b) => a + b)]
                : name.StartsWith("bias_hh", StringComparison.Ordinal) ? new float[tensor.Data.Length] : tensor.Data;
            Assert.Equal(tensor.Shape, exported.Tensors[name].Shape);
            Assert.Equal(expected, exported.Tensors[name].Data);
        }

        Assert.Equal(original.Count, exported.Tensors.Count); // a dense nn.LSTM exports nothing but nn.LSTM's own names
        var (again, againParameters) = PyTorchLstmImporter.ImportFile(path);
        Assert.Equal(network.Options.Layers.Count, again.Options.Layers.Count);
        Assert.Equal(Bits(parameters), Bits(againParameters));
    }

    [Theory]
    [InlineData("toeplitz:r=2 x1 | lowrank:k=3 x1 | shared-lowrank:k=4 x1", 0, false)]
    [InlineData("toeplitz-stacked:r=1,p=4 x1 | lowrank-pergate:k=2,p=4 x1", 5, false)]
    [InlineData("lowrank:k=2 x2", 3, true)]
    public void CompactModel_RoundTripsExactly_AndItsDenseFormComputesTheSameFunction(string spec, int classes, bool peepholes)
    {
        var options = new LstmNetworkOptions
        {
            InputSize = 6,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 8, ProjectionSize = 4, Peepholes = peepholes, CellClip = peepholes ? 3f : 0f }),
            OutputSize = classes,
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 11);
        using var folder = new TemporaryDirectory();
        string path = folder.File("compact.safetensors");
        if (peepholes)
        {
            var refused = Assert.Throws<ArgumentException>(() => PyTorchLstmExporter.ExportFile(model, path));
            Assert.Contains("Layer 0 has peepholes", refused.Message, StringComparison.Ordinal);
        }

        PyTorchLstmExporter.ExportFile(model, path, requireNnLstm: !peepholes);
        var (network, parameters) = PyTorchLstmImporter.ImportFile(path);
        Assert.Equal(NetworkOptionsJson.Write(options), NetworkOptionsJson.Write(network.Options));
        Assert.Equal(Bits(model.Parameters.ToArray()), Bits(parameters));

        StateDict exported = StateDictFile.Read(path);
        Assert.Contains(exported.Tensors.Keys, k => k.StartsWith("weight_ih_l0.", StringComparison.Ordinal));
        if (peepholes)
        {
            Assert.Contains("weight_peephole_l0", exported.Tensors.Keys);
            return;
        }

        // What nn.LSTM would load: only the dotless names (and the output layer), no metadata.
        var plain = exported.Tensors.Where(p => !p.Key.Contains('.', StringComparison.Ordinal) || p.Key.StartsWith("output.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var (dense, denseParameters) = PyTorchLstmImporter.Import(plain);
        Assert.All(dense.Layers, l => Assert.Equal("dense", l.InputMatrix.Kind));
        float[] input = [.. Enumerable.Range(0, 7 * 2 * 6).Select(i => MathF.Sin(i * 0.3f))];
        float[] expected = new float[7 * 2 * model.Network.OutputSize], actual = new float[expected.Length];
        model.Infer(input, 7, 2, [], expected);
        new LstmModel(dense, denseParameters).Infer(input, 7, 2, [], actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: compact {expected[i]} vs its dense export {actual[i]}");
        }
    }

    [Fact]
    public void WhatANetworkCannotRepresent_IsRejectedByName()
    {
        Dictionary<string, PyTorchTensor> weights = TorchLstmTests.Weights(TorchLstmTests.Fixture("lstm_l1").Tensors);
        var reverse = new Dictionary<string, PyTorchTensor>(weights) { ["weight_ih_l0_reverse"] = weights["weight_ih_l0"] };
        Assert.Contains("'weight_ih_l0_reverse' belongs to a bidirectional", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(reverse)).Message, StringComparison.Ordinal);
        var prefixed = new Dictionary<string, PyTorchTensor>(weights) { ["fc.weight"] = weights["bias_ih_l0"] };
        Assert.Contains("unknown tensor 'fc.weight'", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(prefixed)).Message, StringComparison.Ordinal);
        var extraLayer = new Dictionary<string, PyTorchTensor>(weights) { ["bias_ih_l1"] = weights["bias_ih_l0"] };
        Assert.Contains("unknown tensor 'bias_ih_l1'", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(extraLayer)).Message, StringComparison.Ordinal);
        var infinite = new Dictionary<string, PyTorchTensor>(weights) { ["bias_hh_l0"] = new([28], [.. Enumerable.Repeat(float.PositiveInfinity, 28)]) };
        Assert.Contains("'bias_hh_l0' holds", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(infinite)).Message, StringComparison.Ordinal);
        var batchFirst = new StateDict(weights, new Dictionary<string, string> { ["batch_first"] = "True" });
        Assert.Contains("batch_first", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(batchFirst)).Message, StringComparison.Ordinal);
        var bidirectional = new StateDict(weights, new Dictionary<string, string> { ["bidirectional"] = "true" });
        Assert.Contains("bidirectional", Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(bidirectional)).Message, StringComparison.Ordinal);
        Assert.NotNull(PyTorchLstmImporter.Import(new StateDict(weights, new Dictionary<string, string> { ["batch_first"] = "False", ["format"] = "pt" })).Network);
    }

    [Fact]
    public void ExportedCompactModel_WithAnEditedDenseForm_OrAnExtraTensor_IsRejectedByName()
    {
        var options = new LstmNetworkOptions { InputSize = 5, Layers = NetworkSpec.Parse("lowrank:k=2 x1", new LstmLayerOptions { HiddenSize = 6 }) };
        StateDict exported = PyTorchLstmExporter.Export(new LstmNetwork(options), LstmModel.CreateInitialized(options, 3).Parameters);
        var edited = new Dictionary<string, PyTorchTensor>(exported.Tensors);
        float[] dense = (float[])edited["weight_ih_l0"].Data.Clone();
        dense[3] += 0.5f;
        edited["weight_ih_l0"] = new PyTorchTensor(edited["weight_ih_l0"].Shape, dense);
        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(exported with { Tensors = edited }));
        Assert.Contains("'weight_ih_l0' is not the dense form of its factors", error.Message, StringComparison.Ordinal);
        var extra = new Dictionary<string, PyTorchTensor>(exported.Tensors) { ["weight_ih_l0.W"] = exported.Tensors["bias_ih_l0"] };
        error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(exported with { Tensors = extra }));
        Assert.Contains("'weight_ih_l0.W'", error.Message, StringComparison.Ordinal);
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
