using System;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// <see cref="WeightPrecision.Int8"/> sessions stay close to the float32 session of the same model over a stream
/// (dense LSTMP and a mix of kinds), and actually differ from it (the weights really are quantized).
/// </summary>
public sealed class Int8StreamingSessionTests
{
    private const int InputSize = 40, Classes = 10;

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

        // Dense matrices: layer 0's W_p (16×32), layer 1's W_x, W_r (128×16 each) and W_p (16×32), W_out (10×16).
        // Compact: layer 0's W_x (128×40) and W_r (128×16), each embedded at N = 128 with G and H of 2 rows: 2·2·128 weights
        // and 4 row scales per matrix.
        long dense = (16 * 32) + (2 * 128 * 16) + (16 * 32) + (Classes * 16);
        long compact = 2 * (2 * 2 * 128), compactScales = 4L * 2 * 4;
        long floor = dense + compact + compactScales + (4L * (model.Network.ParameterCount - dense - compact)); // one byte per int8 weight
        Assert.InRange(int8, floor, floor + (4L * 1024) + dense); // the dense packs' scales, row sums and padding on top
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => model.WeightBytes((WeightPrecision)9)).ParamName);
    }

    [Fact]
    public void Step_Int8_CompactMatricesComputeWithTheirInt8Reconstruction()
    {
        // No dense matrix and no output layer: the int8 session's only change is the storage of the compact parameters, so
        // it must give exactly the float32 session of a model whose compact blocks are rounded, row by row, to s·q.
        var options = new LstmNetworkOptions
        {
            InputSize = InputSize,
            Layers = NetworkSpec.Parse("toeplitz:r=3 x1 | lowrank:k=5 x1", new LstmLayerOptions { HiddenSize = 48 }),
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 11);
        float[] rounded = model.Parameters.ToArray();
        int roundedBlocks = 0;
        foreach (ParameterBlock block in model.Network.ParameterBlocks)
        {
            if (!block.Name.Contains(".Wx.", StringComparison.Ordinal) && !block.Name.Contains(".Wr.", StringComparison.Ordinal))
            {
                continue; // biases and peepholes stay float32
            }

            roundedBlocks++;
            for (int i = 0; i < block.Rows; i++)
            {
                Span<float> row = rounded.AsSpan(block.Offset + (i * block.Columns), block.Columns);
                float largest = 0;
                foreach (float v in row)
                {
                    largest = Math.Max(largest, Math.Abs(v));
                }

                for (int p = 0; p < row.Length; p++)
                {
                    row[p] = Math.Clamp(MathF.Round(row[p] * (127f / largest)), -127f, 127f) * (largest / 127f);
                }
            }
        }

        Assert.Equal(2 + 2 + 2 + 2, roundedBlocks); // G, H of both Toeplitz-like matrices; U, V of both low-rank ones
        Assert.NotEqual(model.Parameters.ToArray(), rounded);
        StreamingSession int8 = model.CreateSession(WeightPrecision.Int8), reference = new LstmModel(model.Network, rounded).CreateSession();
        StreamingSession original = model.CreateSession();
        float[] frame = new float[InputSize], actual = new float[48], expected = new float[48], unrounded = new float[48];
        var random = new Random(5);
        bool differs = false;
        for (int t = 0; t < 12; t++)
        {
            for (int k = 0; k < InputSize; k++)
            {
                frame[k] = (float)((random.NextDouble() * 2) - 1);
            }

            int8.Step(frame, actual);
            reference.Step(frame, expected);
            original.Step(frame, unrounded);
            Assert.Equal(expected, actual);
            differs |= !actual.AsSpan().SequenceEqual(unrounded);
        }

        Assert.True(differs, "the int8 session gave the float32 outputs: the compact parameters were not rounded");
    }

    [Fact]
    public void CreateSession_UndefinedPrecision_ThrowsNamingPrecision()
    {
        LstmModel model = LstmModel.CreateInitialized(new LstmNetworkOptions { InputSize = 3, Layers = [new LstmLayerOptions { HiddenSize = 4 }] }, seed: 1);
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession((WeightPrecision)7)).ParamName);
    }
}
