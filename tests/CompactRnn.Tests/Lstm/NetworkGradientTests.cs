using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// Finite-difference checks of the whole network through time (T = 21, 3 layers) for every gate-matrix
/// kind, with peepholes, projections and both clips active, variable lengths and a non-zero initial state.
/// </summary>
public sealed class NetworkGradientTests
{
    /// <summary>Every kind, for the double-reference check (ReferenceParityTests).</summary>
    public static TheoryData<string> Kinds => new() { "dense", "lowrank:k=3", "lowrank-pergate:k=2", "toeplitz:k=2", "toeplitz:k=5", "toeplitz-stacked:k=2", "hybrid" };

    /// <summary>
    /// The kinds for float differences at ε = 1e-2. Higher displacement ranks make one generator entry move many
    /// matrix entries, so float differences stop resolving the curvature; the double reference covers r = 5.
    /// </summary>
    public static TheoryData<string> FloatKinds => new() { "dense", "lowrank:k=3", "lowrank-pergate:k=2", "toeplitz:k=2", "toeplitz-stacked:k=2", "hybrid" };

    internal static LstmNetworkOptions Options(string kind, OutputMode mode = OutputMode.Frame, bool clips = true)
    {
        GateMatrixSpec Spec(string text)
        {
            string[] parts = text.Split(":k=");
            return parts.Length == 1 ? new GateMatrixSpec(parts[0]) : new GateMatrixSpec(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        LstmLayerOptions Layer(GateMatrixSpec spec, int projection) => new()
        {
            HiddenSize = 5,
            ProjectionSize = projection,
            Peepholes = true,
            CellClip = clips ? 0.6f : 0f,
            ProjectionClip = clips && projection > 0 ? 0.3f : 0f,
            Input = spec,
            Recurrent = spec,
        };

        IReadOnlyList<LstmLayerOptions> layers = kind == "hybrid"
            ? [Layer(new GateMatrixSpec("toeplitz", 2), 4), Layer(new GateMatrixSpec("toeplitz", 3), 3), Layer(GateMatrixSpec.Dense, 3)] // Toeplitz-like bottom, shared low-rank (projection 3) top
            : [Layer(Spec(kind), 4), Layer(Spec(kind), 0), Layer(Spec(kind), 3)];
        return new LstmNetworkOptions { InputSize = 4, Layers = layers, OutputSize = 3, OutputMode = mode };
    }

    [Theory]
    [MemberData(nameof(FloatKinds))]
    public void Backward_EveryParameterAndInput_MatchesFiniteDifferences(string kind)
    {
        var harness = new NetworkHarness(Options(kind), steps: 21, lengths: [21, 13, 0], seed: 17);
        var (dParameters, dInputs) = harness.Gradients();
        AssertSaturationHappens(harness);
        var failures = new List<string>();
        for (int i = 0; i < harness.Parameters.Length; i++)
        {
            Check(harness, harness.Parameters, i, dParameters[i], $"θ[{i}] {BlockName(harness.Network, i)}", failures);
        }

        for (int i = 0; i < harness.Inputs.Length; i += 7)
        {
            Check(harness, harness.Inputs, i, dInputs[i], $"x[{i}]", failures);
        }

        // Some derivatives cross many clip kinks at once (a bias moves every step): allow 0.5% of the checks
        // to stay ambiguous in float. ReferenceParityTests settles those in double for the dense stack.
        Assert.True(failures.Count <= (harness.Parameters.Length + (harness.Inputs.Length / 7)) / 200, $"{failures.Count} mismatches:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [MemberData(nameof(FloatKinds))]
    public void Backward_LastFrameMode_MatchesFiniteDifferences(string kind)
    {
        // Sequence classification: the loss reads only each sequence's last valid frame, so the gradient
        // enters through the final state and must flow back over the padding of the shorter sequences.
        // Clips are off here (their kinks blur float differences); the frame-mode tests cover them.
        var harness = new NetworkHarness(Options(kind, OutputMode.LastFrame, clips: false), steps: 20, lengths: [20, 7, 12], seed: 5);
        var (dParameters, _) = harness.Gradients();
        var failures = new List<string>();
        for (int i = 0; i < harness.Parameters.Length; i++)
        {
            Check(harness, harness.Parameters, i, dParameters[i], $"θ[{i}] {BlockName(harness.Network, i)}", failures);
        }

        Assert.True(failures.Count <= harness.Parameters.Length / 200, $"{failures.Count} mismatches:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("toeplitz:k=2")]
    [InlineData("toeplitz-stacked:k=2")]
    [InlineData("hybrid")]
    public void Backward_ToeplitzFftPathAtEveryBatch_MatchesFiniteDifferences(string kind)
    {
        // At these small sizes the default threshold is 1, so the tests above run the dense form (W_r's per-step dense
        // gradients accumulated over the pass and projected onto the generators once, in the backward session's Finish).
        // This one forces the FFT products everywhere.
        var harness = new NetworkHarness(Options(kind), steps: 21, lengths: [21, 13, 0], seed: 17, fftOnly: true);
        Assert.True(harness.Network.Layers[0].InputMatrix is CompactRnn.GateMatrices.ToeplitzLikeGateMatrix or CompactRnn.GateMatrices.StackedToeplitzLikeGateMatrix);
        Assert.Equal(0, harness.Network.Layers[0].RecurrentMatrix.BackwardStateSize(3));
        var (dParameters, dInputs) = harness.Gradients();
        var failures = new List<string>();
        for (int i = 0; i < harness.Parameters.Length; i++)
        {
            Check(harness, harness.Parameters, i, dParameters[i], $"θ[{i}] {BlockName(harness.Network, i)}", failures);
        }

        for (int i = 0; i < harness.Inputs.Length; i += 7)
        {
            Check(harness, harness.Inputs, i, dInputs[i], $"x[{i}]", failures);
        }

        Assert.True(failures.Count <= (harness.Parameters.Length + (harness.Inputs.Length / 7)) / 200, $"{failures.Count} mismatches:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("toeplitz:k=5")]
    [InlineData("toeplitz-stacked:k=2")]
    public void Backward_DenseFormAndFftPaths_AgreeToFloatRounding(string kind)
    {
        Assert.True(new NetworkHarness(Options(kind), steps: 2, lengths: [2, 1, 0], seed: 1).Network.Layers[0].RecurrentMatrix.BackwardStateSize(3) > 0); // default: dense form
        var fft = new NetworkHarness(Options(kind), steps: 21, lengths: [21, 13, 0], seed: 23, fftOnly: true);
        var dense = new NetworkHarness(Options(kind), steps: 21, lengths: [21, 13, 0], seed: 23);
        Assert.All(dense.Network.Layers, layer => Assert.True(layer.InputMatrix.BackwardStateSize(3) > 0 && layer.RecurrentMatrix.BackwardStateSize(3) > 0)); // dense forms
        Assert.Equal(fft.Loss(), dense.Loss(), 1e-4);
        var (dThetaFft, dxFft) = fft.Gradients();
        var (dThetaDense, dxDense) = dense.Gradients();
        GateMatrices.GateMatrixContractTests.AssertClose(dThetaFft.Select(v => (double)v).ToArray(), dThetaDense, 1e-4, $"{kind} dθ");
        GateMatrices.GateMatrixContractTests.AssertClose(dxFft.Select(v => (double)v).ToArray(), dxDense, 1e-4, $"{kind} dx");
    }

    private static void Check(NetworkHarness harness, float[] values, int index, float analytic, string name, List<string> failures)
    {
        // ε = 1e-2 (docs/math.md §12); where the clips put a kink inside [θ − ε, θ + ε], a second look at ε = 3e-3
        // decides. A wrong gradient disagrees at both.
        double first = Numeric(harness, values, index, 1e-2f);
        if (Agrees(first, analytic) || Agrees(Numeric(harness, values, index, 3e-3f), analytic))
        {
            return;
        }

        failures.Add($"{name}: numeric {first:G6} analytic {analytic:G6}");
    }

    private static bool Agrees(double numeric, double analytic)
        => Math.Abs(numeric - analytic) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(analytic)) <= 1e-2;

    private static double Numeric(NetworkHarness harness, float[] values, int index, float epsilon)
    {
        float original = values[index];
        values[index] = original + epsilon;
        double plus = harness.Loss();
        values[index] = original - epsilon;
        double minus = harness.Loss();
        values[index] = original;
        return (plus - minus) / (2 * epsilon);
    }

    private static void AssertSaturationHappens(NetworkHarness harness)
    {
        harness.Loss();
        int clipped = 0, total = 0;
        foreach (var tape in harness.Tape.Layers)
        {
            foreach (float value in tape.CellBeforeClip)
            {
                total++;
                clipped += Math.Abs(value) >= 0.6f ? 1 : 0;
            }
        }

        Assert.InRange(clipped, 1, total - 1); // some cells saturate, not all
    }

    private static string BlockName(LstmNetwork network, int index)
        => network.ParameterBlocks.First(b => index >= b.Offset && index < b.Offset + b.Length).Name;
}
