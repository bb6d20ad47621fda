using System;
using CompactRnn.Kernels;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// <see cref="WeightPrecision.BFloat16"/> sessions: (1) equal, to float32 rounding, to a float32 session of the
/// same model with its dense weights rounded to bf16 (so the packs, the kernel and the step are right), and
/// (2) within a derived first-order bound of the unrounded float32 session (so the precision loss is what bf16
/// promises and no more).
/// </summary>
public sealed class BFloat16StreamingSessionTests
{
    private const int InputSize = 40, Classes = 10;

    /// <summary>A realistic acoustic-model shape, scaled down for test time: LSTMP h256 p128 × 3, peepholes, clips.</summary>
    private static LstmNetworkOptions DenseLstmp => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse("dense x3", new LstmLayerOptions { HiddenSize = 256, ProjectionSize = 128, Peepholes = true, CellClip = 50f, ProjectionClip = 50f }),
        OutputSize = Classes,
    };

    /// <summary>Every fallback: Toeplitz-like W_x/W_r with a dense W_p, a dense W_x with a low-rank W_r, a plain dense LSTM on top.</summary>
    private static LstmNetworkOptions Mixed => new()
    {
        InputSize = InputSize,
        Layers =
        [
            .. NetworkSpec.Parse("toeplitz:r=2 x1", new LstmLayerOptions { HiddenSize = 64, ProjectionSize = 32 }),
            new LstmLayerOptions { HiddenSize = 48, ProjectionSize = 24, Recurrent = new LowRankGateMatrixSpec(4) },
            new LstmLayerOptions { HiddenSize = 33 },
        ],
        OutputSize = Classes,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Step_BFloat16_EqualsFloat32SessionOnRoundedWeights(bool dense)
    {
        LstmModel model = LstmModel.CreateInitialized(dense ? DenseLstmp : Mixed, seed: 5);
        var rounded = new LstmModel(model.Network, RoundDenseWeights(model.Network, model.Parameters));
        StreamingSession bf16 = model.CreateSession(WeightPrecision.BFloat16), reference = rounded.CreateSession();
        Assert.Equal(WeightPrecision.BFloat16, bf16.Precision);
        float[] expected = new float[Classes], actual = new float[Classes];
        for (int t = 0; t < 30; t++)
        {
            bf16.Step(Frame(t), actual);
            reference.Step(Frame(t), expected);
            for (int k = 0; k < Classes; k++)
            {
                // Same weights, sums in another order (packed blocks vs the float kernels): float32 rounding only.
                Assert.True(Math.Abs(actual[k] - expected[k]) <= 2e-5f * Math.Max(1f, Math.Abs(expected[k])), $"step {t} class {k}: {actual[k]} vs {expected[k]}");
            }
        }
    }

    /// <summary>
    /// The bound: the bf16 model is the float32 model with weights θ_j + Δθ_j, |Δθ_j| ≤ 2⁻⁸|θ_j| on the rounded
    /// blocks. To first order a logit moves by Σ_j (∂z/∂θ_j)·Δθ_j ≤ 2⁻⁸·Σ_j |∂z/∂θ_j|·|θ_j|, and ∂z/∂θ through the
    /// whole streamed history is exactly what BPTT computes. Second-order terms are O(2⁻¹⁶) relative: a factor 1.25
    /// and float32 noise cover them. That worst case is loose (signs cancel), so a statistical bound is checked too.
    /// </summary>
    [Fact]
    public void Step_BFloat16_WithinFirstOrderBoundOfFloat32()
    {
        const int steps = 12;
        LstmModel model = LstmModel.CreateInitialized(DenseLstmp, seed: 9);
        LstmNetwork network = model.Network;
        StreamingSession bf16 = model.CreateSession(WeightPrecision.BFloat16), exact = model.CreateSession();
        float[] inputs = new float[steps * InputSize];
        float[] approximate = new float[Classes], reference = new float[Classes];
        for (int t = 0; t < steps; t++)
        {
            Frame(t).CopyTo(inputs.AsSpan(t * InputSize));
            bf16.Step(Frame(t), approximate);
            exact.Step(Frame(t), reference);
        }

        bool[] rounded = RoundedMask(network);
        LstmNetworkTape tape = network.CreateTape(steps, 1);
        float[] cache = new float[network.CacheSize];
        network.Prepare(model.Parameters, cache);
        network.Forward(model.Parameters, cache, inputs, steps, [], tape, training: false);
        float[] dLogits = new float[steps * Classes], gradient = new float[network.ParameterCount];
        double largestError = 0;
        for (int k = 0; k < Classes; k++)
        {
            Array.Clear(dLogits);
            Array.Clear(gradient);
            dLogits[((steps - 1) * Classes) + k] = 1f; // ∂z_k at the last frame
            network.Backward(model.Parameters, cache, inputs, steps, [], tape, dLogits, gradient, []);
            double bound = 0, squares = 0;
            for (int j = 0; j < gradient.Length; j++)
            {
                double term = rounded[j] ? Math.Abs((double)gradient[j] * model.Parameters[j]) : 0;
                bound += term;
                squares += term * term;
            }

            bound *= BFloat16.UnitRoundoff;
            double error = Math.Abs(approximate[k] - reference[k]);
            largestError = Math.Max(largestError, error);
            Assert.True(error <= (1.25 * bound) + 1e-5, $"class {k}: |Δz| {error:E3} > bound {bound:E3}");

            // The worst case adds every rounding error with the same sign; they are in fact spread about evenly over
            // ±u|θ_j| with independent signs (standard deviation ≤ u/√3 each), so Σ_j g_j·Δθ_j has a standard deviation
            // ≤ u·√(Σ_j (g_j θ_j)²)/√3. Six of those is the tight check (fixed seed: deterministic, not flaky).
            double spread = BFloat16.UnitRoundoff * Math.Sqrt(squares / 3);
            Assert.True(error <= (6 * spread) + 1e-6, $"class {k}: |Δz| {error:E3} > 6σ {6 * spread:E3}");
        }

        Assert.True(largestError > 0, "bf16 storage should change the logits a little; identical outputs mean it was not used");
    }

    [Fact]
    public void Step_BFloat16AfterWarmUp_AllocatesNothing()
    {
        StreamingSession session = LstmModel.CreateInitialized(Mixed, seed: 1).CreateSession(WeightPrecision.BFloat16);
        float[][] frames = [Frame(0), Frame(1), Frame(2)];
        float[] output = new float[Classes];
        session.Step(frames[0], output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 1; t < 100; t++)
        {
            session.Step(frames[t % 3], output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Reset_BFloat16_StartsOverFromZeroState()
    {
        StreamingSession session = LstmModel.CreateInitialized(DenseLstmp, seed: 2).CreateSession(WeightPrecision.BFloat16);
        float[] first = new float[Classes], again = new float[Classes];
        session.Step(Frame(3), first);
        session.Step(Frame(3), again);
        Assert.NotEqual(first, again);
        session.Reset();
        session.Step(Frame(3), again);
        Assert.Equal(first, again);
    }

    [Fact]
    public void CreateSession_UndefinedPrecision_ThrowsNamingPrecision()
    {
        LstmModel model = LstmModel.CreateInitialized(Mixed, seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession((WeightPrecision)7));
        Assert.Equal("precision", error.ParamName);
    }

    private static float[] Frame(int t)
    {
        float[] frame = new float[InputSize];
        for (int k = 0; k < InputSize; k++)
        {
            frame[k] = MathF.Sin((0.31f * t) + (0.17f * k * k)); // feature-like values in [−1, 1]
        }

        return frame;
    }

    /// <summary>Which parameters a bf16 session rounds: the dense matrices' "W" blocks (layers' W_x, W_r, W_p and output.W).</summary>
    private static bool[] RoundedMask(LstmNetwork network)
    {
        bool[] mask = new bool[network.ParameterCount];
        foreach (Parameters.ParameterBlock block in network.ParameterBlocks)
        {
            if (block.Name.EndsWith(".W", StringComparison.Ordinal))
            {
                Array.Fill(mask, true, block.Offset, block.Length);
            }
        }

        return mask;
    }

    private static float[] RoundDenseWeights(LstmNetwork network, ReadOnlySpan<float> parameters)
    {
        float[] rounded = parameters.ToArray();
        bool[] mask = RoundedMask(network);
        for (int j = 0; j < rounded.Length; j++)
        {
            rounded[j] = mask[j] ? BFloat16.RoundTrip(rounded[j]) : rounded[j];
        }

        return rounded;
    }
}
