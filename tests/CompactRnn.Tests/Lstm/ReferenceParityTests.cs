using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Layers;
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

    /// <summary>
    /// Every kind against the double reference: the reference's gradient with respect to the dense
    /// equivalent of each matrix (double differences, ε = 1e-6, no clip-kink trouble), pulled back to the
    /// kind's own parameters through ToDense. W is affine in each single parameter, so
    /// ∂W/∂θ_p = ToDense(θ + e_p) − ToDense(θ) exactly.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkGradientTests.Kinds), MemberType = typeof(NetworkGradientTests))]
    public void Backward_EveryKindWithClips_MatchesDoubleReferenceThroughToDense(string kind)
    {
        var harness = new NetworkHarness(NetworkGradientTests.Options(kind), steps: 21, lengths: [21, 13, 0], seed: 17);
        var (dParameters, _) = harness.Gradients();
        var dense = new CompactRnn.Models.LstmNetwork(harness.Network.Options with
        {
            Layers = harness.Network.Options.Layers.Select(l => l with
            {
                Input = GateMatrixSpec.Dense,
                Recurrent = GateMatrixSpec.Dense,
                Projection = GateMatrixSpec.Dense,
            }).ToArray(),
        });
        var pieces = Pieces(harness.Network, dense);
        double[] denseParameters = new double[dense.ParameterCount];
        foreach (var piece in pieces)
        {
            piece.Expand(harness.Parameters, denseParameters);
        }

        double Loss() => ReferenceLstmp.Logits(dense, denseParameters, harness.Inputs, harness.Steps, harness.Lengths, harness.InitialOutputs, harness.InitialCells)
            .Zip(harness.Weights, (z, w) => z * w).Sum();

        double[] denseGradient = new double[denseParameters.Length];
        for (int i = 0; i < denseParameters.Length; i++)
        {
            double original = denseParameters[i];
            denseParameters[i] = original + 1e-6;
            double plus = Loss();
            denseParameters[i] = original - 1e-6;
            double minus = Loss();
            denseParameters[i] = original;
            denseGradient[i] = (plus - minus) / 2e-6;
        }

        foreach (var piece in pieces)
        {
            for (int p = 0; p < piece.Length; p++)
            {
                double expected = piece.PullBack(harness.Parameters, p, denseGradient);
                double actual = dParameters[piece.Offset + p];
                Assert.True(Math.Abs(expected - actual) <= 2e-4 + (2e-3 * Math.Abs(expected)),
                    $"{kind} θ[{piece.Offset + p}] ({piece.Name}): reference {expected} vs float {actual}");
            }
        }
    }

    private static List<Piece> Pieces(CompactRnn.Models.LstmNetwork network, CompactRnn.Models.LstmNetwork dense)
    {
        var pieces = new List<Piece>();
        int offset = 0, denseOffset = 0;
        void Add(string name, CompactRnn.GateMatrices.GateMatrix? matrix, int length)
        {
            pieces.Add(new Piece(name, offset, length, denseOffset, matrix));
            offset += length;
            denseOffset += matrix is null ? length : matrix.OutputSize * matrix.InputSize;
        }

        foreach (var layer in network.Layers)
        {
            Add("Wx", layer.InputMatrix, layer.InputMatrix.ParameterCount);
            Add("Wr", layer.RecurrentMatrix, layer.RecurrentMatrix.ParameterCount);
            Add("b+peepholes", null, (4 + (layer.Options.Peepholes ? 3 : 0)) * layer.HiddenSize);
            if (layer.ProjectionMatrix is not null)
            {
                Add("Wp", layer.ProjectionMatrix, layer.ProjectionMatrix.ParameterCount);
            }
        }

        Add("output", null, network.ParameterCount - offset);
        Assert.Equal(dense.ParameterCount, denseOffset);
        return pieces;
    }

    /// <summary>One parameter slice of the compact network and where its dense equivalent sits.</summary>
    private sealed record Piece(string Name, int Offset, int Length, int DenseOffset, CompactRnn.GateMatrices.GateMatrix? Matrix)
    {
        public void Expand(float[] parameters, double[] denseParameters)
        {
            float[] values = Matrix is null ? parameters.AsSpan(Offset, Length).ToArray() : ToDense(parameters.AsSpan(Offset, Length).ToArray());
            for (int i = 0; i < values.Length; i++)
            {
                denseParameters[DenseOffset + i] = values[i];
            }
        }

        public double PullBack(float[] parameters, int p, double[] denseGradient)
        {
            if (Matrix is null)
            {
                return denseGradient[DenseOffset + p];
            }

            float[] slice = parameters.AsSpan(Offset, Length).ToArray();
            float[] baseDense = ToDense(slice);
            slice[p] += 1f;
            float[] moved = ToDense(slice);
            double sum = 0;
            for (int i = 0; i < baseDense.Length; i++)
            {
                sum += ((double)moved[i] - baseDense[i]) * denseGradient[DenseOffset + i]; // Σ_ij ∂L/∂W_ij · ∂W_ij/∂θ_p
            }

            return sum;
        }

        private float[] ToDense(float[] slice)
        {
            float[] dense = new float[Matrix!.OutputSize * Matrix.InputSize];
            Matrix.ToDense(slice, dense);
            return dense;
        }
    }
}
