using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CompactRnn.Interop;
using CompactRnn.Layers;

namespace CompactRnn.Tests.Interop;

/// <summary>
/// CompactRnn loaded with PyTorch <c>nn.LSTM</c> weights reproduces PyTorch's outputs, final states and
/// gradients (w.r.t. input, h0, c0 and every weight) to 1e-5. Fixtures come from
/// tools/pytorch-fixtures/make_fixtures.py; no Python is needed here.
/// </summary>
public sealed class PyTorchParityTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Fixtures => new() { "lstm_l1", "lstm_l3", "lstmp_l1", "lstmp_l3", "lstmp_l2_varlen" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ImportedWeights_ForwardAndBackward_MatchPyTorch(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch", name + ".json");
        Dictionary<string, PyTorchTensor> tensors = PyTorchLstmImporter.ReadTensors(path);
        int[] lengths = ReadLengths(path);
        var (network, parameters) = PyTorchLstmImporter.Import(TorchLstmTests.Weights(tensors));
        int steps = tensors["input"].Shape[0], batch = tensors["input"].Shape[1], layerCount = network.Layers.Count;
        Assert.Equal(lengths.Length, batch);

        // Forward, layer by layer, from h0/c0.
        var tapes = new LstmLayerTape[layerCount];
        float[] x = tensors["input"].Data;
        var layerInputs = new float[layerCount][];
        for (int k = 0; k < layerCount; k++)
        {
            LstmLayer layer = network.Layers[k];
            tapes[k] = new LstmLayerTape(layer, steps, batch);
            tensors["h0"].Data.AsSpan(k * batch * layer.OutputSize, batch * layer.OutputSize).CopyTo(tapes[k].InitialOutput);
            tensors["c0"].Data.AsSpan(k * batch * layer.HiddenSize, batch * layer.HiddenSize).CopyTo(tapes[k].InitialCell);
            layerInputs[k] = x;
            layer.Forward(network.LayerParameters(parameters.AsSpan(), k), [], x, steps, lengths, tapes[k]);
            x = tapes[k].Outputs(steps).ToArray();
            AssertClose(Slice(tensors["h_n"], k), tapes[k].FinalOutput(steps).ToArray(), $"h_n[{k}]");
            AssertClose(Slice(tensors["c_n"], k), tapes[k].FinalCell(steps).ToArray(), $"c_n[{k}]");
        }

        int top = network.Layers[^1].OutputSize;
        float[] validMask = Mask(lengths, steps, top);
        AssertClose(tensors["output"].Data.Select((v, i) => v * validMask[i]).ToArray(), x.Select((v, i) => v * validMask[i]).ToArray(), "output");

        // Backward from the top: dL/d output = R_output on valid frames; final states get R_h_n, R_c_n.
        float[] dParameters = new float[network.ParameterCount];
        float[] dOutputs = tensors["R_output"].Data.Select((v, i) => v * validMask[i]).ToArray();
        for (int k = layerCount - 1; k >= 0; k--)
        {
            LstmLayer layer = network.Layers[k];
            float[] dInputs = new float[layerInputs[k].Length];
            float[] dInitialOutput = new float[batch * layer.OutputSize];
            float[] dInitialCell = new float[batch * layer.HiddenSize];
            layer.Backward(network.LayerParameters(parameters.AsSpan(), k), [], layerInputs[k], steps, lengths, tapes[k],
                new LstmLayerOutputGradients { Outputs = dOutputs, FinalOutput = Slice(tensors["R_h_n"], k), FinalCell = Slice(tensors["R_c_n"], k) },
                new LstmLayerInputGradients
                {
                    Parameters = network.LayerParameters(dParameters.AsSpan(), k),
                    Inputs = dInputs,
                    InitialOutput = dInitialOutput,
                    InitialCell = dInitialCell,
                });
            AssertClose(Slice(tensors["grad.h0"], k), dInitialOutput, $"grad.h0[{k}]");
            AssertClose(Slice(tensors["grad.c0"], k), dInitialCell, $"grad.c0[{k}]");
            float[] layerGradient = network.LayerParameters(dParameters.AsSpan(), k).ToArray();
            string suffix = "_l" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            float[] expected = [.. tensors["grad.weight_ih" + suffix].Data, .. tensors["grad.weight_hh" + suffix].Data, .. tensors["grad.bias_ih" + suffix].Data,
                .. (tensors.TryGetValue("grad.weight_hr" + suffix, out PyTorchTensor? hr) ? hr.Data : [])];
            AssertClose(expected, layerGradient, $"weights of layer {k}");
            dOutputs = dInputs;
        }

        AssertClose(tensors["grad.input"].Data, dOutputs, "grad.input");
    }

    [Fact]
    public void Import_WrongShape_ThrowsNamingTheTensor()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch", "lstm_l1.json");
        Dictionary<string, PyTorchTensor> tensors = TorchLstmTests.Weights(PyTorchLstmImporter.ReadTensors(path));
        tensors["weight_hh_l0"] = new PyTorchTensor([28, 6], new float[28 * 6]);
        var error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(tensors));
        Assert.Contains("weight_hh_l0", error.Message, StringComparison.Ordinal);
        tensors.Remove("bias_ih_l0");
        tensors["weight_hh_l0"] = new PyTorchTensor([28, 7], new float[28 * 7]);
        error = Assert.Throws<ArgumentException>(() => PyTorchLstmImporter.Import(tensors));
        Assert.Contains("bias_ih_l0", error.Message, StringComparison.Ordinal);
    }

    private static float[] Slice(PyTorchTensor tensor, int layer)
    {
        int size = tensor.Data.Length / tensor.Shape[0];
        return tensor.Data.AsSpan(layer * size, size).ToArray();
    }

    private static float[] Mask(int[] lengths, int steps, int width)
    {
        float[] mask = new float[steps * lengths.Length * width];
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < lengths.Length; b++)
            {
                mask.AsSpan(((t * lengths.Length) + b) * width, width).Fill(t < lengths[b] ? 1f : 0f);
            }
        }

        return mask;
    }

    private static int[] ReadLengths(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("config").GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    // The fixtures' results are float64 values rounded to float on read: ≤ 6e-8 relative, far below the tolerance.
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what}[{i}]: PyTorch {expected[i]} vs CompactRnn {actual[i]}");
        }
    }
}
