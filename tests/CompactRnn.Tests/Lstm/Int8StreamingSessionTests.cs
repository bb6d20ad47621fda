using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// <see cref="WeightPrecision.Int8"/> sessions stay close to the float32 session of the same model over a stream
/// (dense LSTMP and a mix of kinds), and actually differ from it (the weights really are quantized).
/// </summary>
public sealed class Int8StreamingSessionTests
{
    private const int InputSize = 40, Classes = 10;

    private static LstmNetworkOptions Options(string spec, int cells) => new()
    {
        InputSize = InputSize,
        Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = cells, Peepholes = true }),
        OutputSize = Classes,
    };

    [Theory]
    [InlineData("dense x3")]
    [InlineData("toeplitz:r=2 x1 | lowrank:k=8 x1 | dense x1")]
    public void Step_Int8_StaysWithinABoundedDistanceOfFloat32(string spec)
    {
        var options = new LstmNetworkOptions
        {
            InputSize = InputSize,
            Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 128, ProjectionSize = 64, Peepholes = true, CellClip = 50f }),
            OutputSize = Classes,
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 7);
        StreamingSession int8 = model.CreateSession(WeightPrecision.Int8), exact = model.CreateSession();
        Assert.Equal(WeightPrecision.Int8, int8.Precision);
        float[] approximate = new float[Classes], reference = new float[Classes];
        double largest = 0, scale = 0;
        var random = new Random(3);
        for (int t = 0; t < 40; t++)
        {
            float[] frame = new float[InputSize];
            for (int k = 0; k < InputSize; k++)
            {
                frame[k] = (float)((random.NextDouble() * 2) - 1);
            }

            int8.Step(frame, approximate);
            exact.Step(frame, reference);
            for (int k = 0; k < Classes; k++)
            {
                largest = Math.Max(largest, Math.Abs(approximate[k] - reference[k]));
                scale = Math.Max(scale, Math.Abs(reference[k]));
            }
        }

        // Weights off by ≤ 1/254 of their row's largest magnitude: logits move by about that fraction, not more.
        Assert.True(largest <= 0.02 * Math.Max(1, scale), $"max |Δ logit| {largest} against logits up to {scale}");
        Assert.True(largest > 0, "int8 weights gave exactly the float32 logits: nothing was quantized");
    }

    [Fact]
    public void WeightBytes_Int8_CountsPacksAndTheFloat32Rest()
    {
        var options = new LstmNetworkOptions
        {
            InputSize = InputSize,
            Layers = NetworkSpec.Parse("toeplitz:r=2 x1 | dense x1", new LstmLayerOptions { HiddenSize = 32, ProjectionSize = 16 }),
            OutputSize = Classes,
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 2);
        long float32 = model.WeightBytes(WeightPrecision.Float32), int8 = model.WeightBytes(WeightPrecision.Int8);
        Assert.Equal(4L * model.Network.ParameterCount, float32);

        // Dense matrices: layer 0's W_p (16×32), layer 1's W_x, W_r (128×16 each) and W_p (16×32), W_out (10×16). Layer 0's
        // Toeplitz-like W_r (128×16, N = 128, r = 2: 512 parameters) is packed as its dense form, 2,048 bytes at int8 ≤ 4·512;
        // its W_x (128×40: 5,120 entries > 4·512) keeps its float32 generators.
        long dense = (16 * 32) + (2 * 128 * 16) + (16 * 32) + (Classes * 16);
        long entries = dense + (128 * 16), packedParameters = dense + 512;
        long floor = entries + (4L * (model.Network.ParameterCount - packedParameters)); // one byte per packed entry, scales and padding on top
        Assert.InRange(int8, floor, floor + (4L * 1024) + entries);
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => model.WeightBytes((WeightPrecision)9)).ParamName);
    }

    [Theory]
    [InlineData(WeightPrecision.Int8)]
    [InlineData(WeightPrecision.BFloat16)]
    public void Step_CompactMatrixSmallerAsDense_StreamsItsDenseForm(WeightPrecision precision)
    {
        // W_x (64×40) and W_r (64×16) of a Toeplitz-like layer of rank 16 at N = 64 have 2,048 parameters each, more bytes
        // as float32 than their dense forms at bf16 or int8: both are packed as dense forms, so the session must give exactly
        // what the same session of a dense model holding those dense forms gives, and store the same bytes.
        const int cells = 16;
        LstmModel toeplitz = LstmModel.CreateInitialized(Options("toeplitz:r=16 x1", cells), seed: 4);
        LstmNetwork network = toeplitz.Network;
        LstmLayer layer = network.Layers[0];
        Assert.True(PackedLayerWeights.Packs(layer.InputMatrix, precision) && PackedLayerWeights.Packs(layer.RecurrentMatrix, precision));
        Assert.False(PackedLayerWeights.Packs(layer.InputMatrix, WeightPrecision.Float32));

        float[] input = new float[4 * cells * InputSize], recurrent = new float[4 * cells * cells];
        ReadOnlySpan<float> parameters = toeplitz.Parameters;
        layer.InputMatrix.ToDense(layer.InputParameters(network.LayerParameters(parameters, 0)), input);
        layer.RecurrentMatrix.ToDense(layer.RecurrentParameters(network.LayerParameters(parameters, 0)), recurrent);
        int matrices = layer.InputMatrix.ParameterCount + layer.RecurrentMatrix.ParameterCount;
        float[] denseParameters = [.. input, .. recurrent, .. parameters[matrices..]]; // then b, peepholes and the output layer, in the same order
        var denseModel = new LstmModel(new LstmNetwork(Options("dense x1", cells)), denseParameters);

        StreamingSession compact = toeplitz.CreateSession(precision), dense = denseModel.CreateSession(precision), exact = toeplitz.CreateSession();
        float[] frame = new float[InputSize], actual = new float[Classes], expected = new float[Classes], unrounded = new float[Classes];
        var random = new Random(8);
        bool differs = false;
        for (int t = 0; t < 10; t++)
        {
            for (int k = 0; k < InputSize; k++)
            {
                frame[k] = (float)((random.NextDouble() * 2) - 1);
            }

            compact.Step(frame, actual);
            dense.Step(frame, expected);
            exact.Step(frame, unrounded);
            Assert.Equal(expected, actual);
            differs |= !actual.AsSpan().SequenceEqual(unrounded);
        }

        Assert.True(differs, "the reduced-precision session gave the float32 outputs");
        Assert.Equal(denseModel.WeightBytes(precision), toeplitz.WeightBytes(precision));
    }

    [Theory]
    [InlineData("toeplitz:r=1 x1", false)]  // 64×40 from 128 generator values: its dense form is larger at any precision
    [InlineData("lowrank:k=2 x1", false)]   // 64×40 from 2·(64 + 40) factors
    [InlineData("toeplitz:r=16 x1", true)]
    public void Packs_CompactMatrix_OnlyWhereItsInt8DenseFormIsNoLarger(string spec, bool packed)
    {
        LstmLayer layer = new LstmNetwork(Options(spec, 16)).Layers[0];
        Assert.Equal(packed, PackedLayerWeights.Packs(layer.InputMatrix, WeightPrecision.Int8));
        Assert.False(PackedLayerWeights.Packs(layer.InputMatrix, WeightPrecision.Float32));
    }

    [Fact]
    public void CreateSession_UndefinedPrecision_ThrowsNamingPrecision()
    {
        LstmModel model = LstmModel.CreateInitialized(new LstmNetworkOptions { InputSize = 3, Layers = [new LstmLayerOptions { HiddenSize = 4 }] }, seed: 1);
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession((WeightPrecision)7)).ParamName);
    }
}
