using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Interop;

/// <summary>
/// The nn.LSTM-shaped API against the committed PyTorch fixtures (tools/pytorch-fixtures): outputs, h_n, c_n, and the
/// gradients of input, h0, c0 and every weight by its PyTorch name for L = Σ output⊙R_output + Σ h_n⊙R_h_n + Σ c_n⊙R_c_n,
/// so the final-state gradients enter and the initial-state gradients leave through the API.
/// </summary>
public sealed class TorchLstmTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, bool> Cases => new()
    {
        { "lstm_l1", false }, { "lstm_l3", false }, { "lstmp_l1", false }, { "lstmp_l3", false }, { "lstmp_l2_varlen", false },
        { "lstm_l3", true }, { "lstmp_l2_varlen", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackward_MatchPyTorch(string name, bool batchFirst)
    {
        (Dictionary<string, PyTorchTensor> tensors, int[] lengths) = Fixture(name);
        var (network, parameters) = PyTorchLstmImporter.Import(Weights(tensors));
        var lstm = new TorchLstm(network, parameters, batchFirst);
        PyTorchTensor input = Layout(tensors["input"], batchFirst);
        bool full = lengths.All(l => l == tensors["input"].Shape[0]);

        TorchLstmPass pass = lstm.Forward(input, tensors["h0"], tensors["c0"], full ? null : lengths);
        AssertClose(Layout(tensors["output"], batchFirst), pass.Output, "output");
        AssertClose(tensors["h_n"], pass.HN, "h_n");
        AssertClose(tensors["c_n"], pass.CN, "c_n");

        TorchLstmGradients gradients = pass.Backward(Layout(tensors["R_output"], batchFirst), tensors["R_h_n"], tensors["R_c_n"]);
        AssertClose(Layout(tensors["grad.input"], batchFirst), gradients.Input, "grad.input");
        AssertClose(tensors["grad.h0"], gradients.H0, "grad.h0");
        AssertClose(tensors["grad.c0"], gradients.C0, "grad.c0");
        int checkedWeights = 0;
        foreach (string key in tensors.Keys.Where(k => k.StartsWith("grad.weight", StringComparison.Ordinal) || k.StartsWith("grad.bias", StringComparison.Ordinal)))
        {
            AssertClose(tensors[key], gradients[key["grad.".Length..]], key);
            checkedWeights++;
        }

        Assert.Equal(network.Layers.Count * (network.Layers[0].HasProjection ? 5 : 4), checkedWeights);
    }

    [Fact]
    public void Backward_OfOnlyTheFinalState_MatchesFiniteDifferencesOnACompactNetwork()
    {
        // A Toeplitz-like + low-rank stack with peepholes: the state gradients must hold for every kind, not only dense.
        var options = new LstmNetworkOptions
        {
            InputSize = 4,
            Layers = NetworkSpec.Parse("toeplitz:r=2 x1 | lowrank:k=3 x1", new LstmLayerOptions { HiddenSize = 6, ProjectionSize = 0, Peepholes = true }),
        };
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 7);
        var random = new Random(3);
        PyTorchTensor Random(params int[] shape) => new(shape, Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray());
        PyTorchTensor input = Random(5, 2, 4), h0 = Random(2, 2, 6), c0 = Random(2, 2, 6), rOut = Random(5, 2, 6), rH = Random(2, 2, 6), rC = Random(2, 2, 6);

        double Loss(float[] theta, PyTorchTensor x, PyTorchTensor h, PyTorchTensor c)
        {
            TorchLstmPass p = new TorchLstm(network, theta).Forward(x, h, c);
            return Dot(p.Output, rOut) + Dot(p.HN, rH) + Dot(p.CN, rC);
        }

        TorchLstmGradients g = new TorchLstm(network, parameters).Forward(input, h0, c0).Backward(rOut, rH, rC);
        CheckAgainstDifferences(h0.Data, g.H0.Data, () => Loss(parameters, input, h0, c0), "h0");
        CheckAgainstDifferences(c0.Data, g.C0.Data, () => Loss(parameters, input, h0, c0), "c0");
        CheckAgainstDifferences(input.Data, g.Input.Data, () => Loss(parameters, input, h0, c0), "input");
        CheckAgainstDifferences(parameters, g.Parameters, () => Loss(parameters, input, h0, c0), "θ");
        Assert.Equal(g.Parameters.Length, g.ParameterNames.Sum(n => g[n].Data.Length));
        Assert.Contains("weight_ih_l0.G", g.ParameterNames);
        Assert.Contains("weight_hh_l1.U", g.ParameterNames);
        Assert.Contains("weight_peephole_l1", g.ParameterNames);
    }

    [Fact]
    public void BadShapes_AreRejectedByName()
    {
        var (network, parameters) = PyTorchLstmImporter.Import(Weights(Fixture("lstmp_l3").Tensors));
        var lstm = new TorchLstm(network, parameters);
        var error = Assert.Throws<ArgumentException>(() => lstm.Forward(new PyTorchTensor([6, 2, 4], new float[48])));
        Assert.Equal("input", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => lstm.Forward(new PyTorchTensor([6, 2, 5], new float[60]), new PyTorchTensor([3, 2, 7], new float[42])));
        Assert.Equal("h0", error.ParamName);
        TorchLstmPass pass = lstm.Forward(new PyTorchTensor([6, 2, 5], new float[60]));
        error = Assert.Throws<ArgumentException>(() => pass.Backward(null, new PyTorchTensor([3, 2, 7], new float[42])));
        Assert.Equal("dHN", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => pass.Backward(null)["weight_xx_l0"]);
        Assert.Contains("weight_ih_l0", error.Message, StringComparison.Ordinal);
        var classifier = new LstmNetwork(new LstmNetworkOptions { InputSize = 2, Layers = [new LstmLayerOptions { HiddenSize = 3 }], OutputSize = 4 });
        error = Assert.Throws<ArgumentException>(() => new TorchLstm(classifier, new float[classifier.ParameterCount]));
        Assert.Equal("network", error.ParamName);
    }

    internal static (Dictionary<string, PyTorchTensor> Tensors, int[] Lengths) Fixture(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch", name + ".json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        int[] lengths = document.RootElement.GetProperty("config").GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (PyTorchLstmImporter.ReadTensors(path), lengths);
    }

    /// <summary>The fixture's nn.LSTM state dict (it also holds inputs, results and gradients).</summary>
    internal static Dictionary<string, PyTorchTensor> Weights(Dictionary<string, PyTorchTensor> tensors)
        => tensors.Where(p => p.Key.StartsWith("weight_", StringComparison.Ordinal) || p.Key.StartsWith("bias_", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static PyTorchTensor Layout(PyTorchTensor timeMajor, bool batchFirst)
    {
        if (!batchFirst)
        {
            return timeMajor;
        }

        int t = timeMajor.Shape[0], b = timeMajor.Shape[1], w = timeMajor.Shape[2];
        float[] data = new float[timeMajor.Data.Length];
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j < b; j++)
            {
                timeMajor.Data.AsSpan(((i * b) + j) * w, w).CopyTo(data.AsSpan(((j * t) + i) * w, w));
            }
        }

        return new PyTorchTensor([b, t, w], data);
    }

    private static double Dot(PyTorchTensor a, PyTorchTensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            sum += (double)a.Data[i] * b.Data[i];
        }

        return sum;
    }

    // Central differences in float32 with a step of 1e-2 have errors of ~1e-3 relative; the comparison is scaled to match.
    private static void CheckAgainstDifferences(float[] values, float[] analytic, Func<double> loss, string what)
    {
        const float step = 1e-2f;
        for (int i = 0; i < values.Length; i += Math.Max(1, values.Length / 40))
        {
            float saved = values[i];
            values[i] = saved + step;
            double plus = loss();
            values[i] = saved - step;
            double minus = loss();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + (2e-2 * Math.Abs(numeric)), $"{what}[{i}]: finite differences {numeric} vs backward {analytic[i]}");
        }
    }

    private static void AssertClose(PyTorchTensor expected, PyTorchTensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Data.Length; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= Tolerance, $"{what}[{i}]: PyTorch {expected.Data[i]} vs CompactRnn {actual.Data[i]}");
        }
    }
}
