using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The contract suite for the shared low-rank kind (two consumers of one V), plus its ties to the network.</summary>
public sealed class SharedLowRankGateMatrixTests : GateMatrixContractTests
{
    protected override GateMatrix Create(int outputSize, int inputSize)
    {
        int[] consumers = outputSize >= 2 ? [outputSize / 2, outputSize - (outputSize / 2)] : [outputSize];
        return new SharedLowRankGateMatrix(consumers, inputSize, rank: Math.Min(3, inputSize));
    }

    [Fact]
    public void ParameterCount_CountsTheSharedFactorOnce()
    {
        // docs/math.md §5 scheme C, k = 128: P 65,536 + Z_r 262,144 + Z_x 262,144 = 589,824.
        var matrix = new SharedLowRankGateMatrix([2048, 2048], 512, 128);
        Assert.Equal(589_824, matrix.ParameterCount);
    }

    [Fact]
    public void Network_SharedLowRankLayer_IsThisMatrixWithTheProjectionAsV()
    {
        // In a network, W_r^0 and W_x^1 both read p = W_p m: [W_r^0; W_x^1]·W_p is a shared low-rank map of m.
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = 3,
            Layers = NetworkSpec.Parse("shared-lowrank:k=2 x1 | dense:h=4 x1", new LstmLayerOptions { HiddenSize = 5 }),
        });
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed: 3);
        var l0 = network.Layers[0];
        var l1 = network.Layers[1];
        var shared = new SharedLowRankGateMatrix([l0.RecurrentMatrix.OutputSize, l1.InputMatrix.OutputSize], l0.HiddenSize, 2);
        float[] sharedParameters = new float[shared.ParameterCount];
        int offset = 0;
        void Take(ReadOnlySpan<float> source)
        {
            source.CopyTo(sharedParameters.AsSpan(offset));
            offset += source.Length;
        }

        ReadOnlySpan<float> layer0 = network.LayerParameters(parameters.AsSpan(), 0);
        ReadOnlySpan<float> layer1 = network.LayerParameters(parameters.AsSpan(), 1);
        Take(layer0.Slice(l0.ParameterBlocks[^1].Offset, l0.ProjectionMatrix!.ParameterCount)); // V = W_p
        Take(layer0.Slice(l0.ParameterBlocks[1].Offset, l0.RecurrentMatrix.ParameterCount));    // U_0 = W_r^0
        Take(layer1.Slice(0, l1.InputMatrix.ParameterCount));                                    // U_1 = W_x^1
        Assert.Equal(shared.ParameterCount, offset);

        float[] dense = new float[shared.OutputSize * shared.InputSize];
        shared.ToDense(sharedParameters, dense);
        float[] wp = Dense(l0.ProjectionMatrix, layer0.Slice(l0.ParameterBlocks[^1].Offset, l0.ProjectionMatrix.ParameterCount));
        float[] wr = Dense(l0.RecurrentMatrix, layer0.Slice(l0.ParameterBlocks[1].Offset, l0.RecurrentMatrix.ParameterCount));
        float[] wx = Dense(l1.InputMatrix, layer1[..l1.InputMatrix.ParameterCount]);
        for (int row = 0; row < shared.OutputSize; row++)
        {
            bool recurrent = row < l0.RecurrentMatrix.OutputSize;
            float[] u = recurrent ? wr : wx;
            int uRow = recurrent ? row : row - l0.RecurrentMatrix.OutputSize;
            for (int j = 0; j < shared.InputSize; j++)
            {
                double expected = (u[uRow * 2] * wp[j]) + (u[(uRow * 2) + 1] * wp[shared.InputSize + j]);
                Assert.Equal(expected, dense[(row * shared.InputSize) + j], 5);
            }
        }
    }

    private static float[] Dense(GateMatrix matrix, ReadOnlySpan<float> parameters)
    {
        float[] dense = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(parameters, dense);
        return dense;
    }
}
