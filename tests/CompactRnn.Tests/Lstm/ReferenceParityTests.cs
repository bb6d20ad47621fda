using System;
using System.Linq;
using CompactRnn.Tests.Reference;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// The float network against the independent double-precision reference: values, and every parameter
/// gradient against double central differences (ε = 1e-6) of the reference.
/// </summary>
public sealed class ReferenceParityTests
{
    [Fact]
    public void Forward_DenseStackWithClipsAndPeepholes_MatchesDoubleReference()
    {
        var harness = new NetworkHarness(NetworkGradientTests.Options("dense"), steps: 21, lengths: [21, 13, 0], seed: 17);
        harness.Loss();
        double[] expected = ReferenceLstmp.Logits(harness.Network, Array.ConvertAll(harness.Parameters, v => (double)v), harness.Inputs,
            harness.Steps, harness.Lengths, harness.InitialOutputs, harness.InitialCells);
        float[] actual = harness.Tape.Logits[..expected.Length].ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void Backward_DenseStackWithClipsAndPeepholes_MatchesDoubleReferenceDifferences()
    {
        var harness = new NetworkHarness(NetworkGradientTests.Options("dense"), steps: 21, lengths: [21, 13, 0], seed: 17);
        var (dParameters, _) = harness.Gradients();
        double[] parameters = Array.ConvertAll(harness.Parameters, v => (double)v);
        double Loss()
        {
            double[] logits = ReferenceLstmp.Logits(harness.Network, parameters, harness.Inputs, harness.Steps, harness.Lengths,
                harness.InitialOutputs, harness.InitialCells);
            return logits.Zip(harness.Weights, (z, w) => z * w).Sum();
        }

        const double epsilon = 1e-6;
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            parameters[i] = original + epsilon;
            double plus = Loss();
            parameters[i] = original - epsilon;
            double minus = Loss();
            parameters[i] = original;
            double numeric = (plus - minus) / (2 * epsilon);
            Assert.True(Math.Abs(numeric - dParameters[i]) <= 1e-4 + (1e-3 * Math.Abs(numeric)),
                $"θ[{i}] {harness.Network.ParameterBlocks.First(b => i >= b.Offset && i < b.Offset + b.Length).Name}: reference {numeric} vs float {dParameters[i]}");
        }
    }
}
