using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>The split backward protocol the BPTT loop uses for kinds that take dθ once per pass.</summary>
public sealed class WholePassParameterGradientTests
{
    [Fact]
    public void Dense_InputHalfThenParameterHalf_EqualsOneBackwardCall()
    {
        var matrix = new DenseGateMatrix(6, 5);
        float[] parameters = new float[matrix.ParameterCount];
        matrix.Initialize(parameters, new Random(1));
        float[] input = Values(3 * 5, seed: 2), dOutput = Values(3 * 6, seed: 3);
        float[] dParametersOnce = new float[parameters.Length], dInputOnce = new float[input.Length];
        float[] dParametersSplit = new float[parameters.Length], dInputSplit = new float[input.Length];

        matrix.Backward(new GateMatrixWeights(parameters, []), input, dOutput, 3, dParametersOnce, dInputOnce, []);
        matrix.BackwardInput(new GateMatrixWeights(parameters, []), dOutput, 3, dInputSplit, []);
        Assert.All(dParametersSplit, value => Assert.Equal(0f, value)); // the input half leaves dθ alone
        matrix.Backward(new GateMatrixWeights(parameters, []), input, dOutput, 3, dParametersSplit, [], []);

        Assert.True(matrix.TakesParameterGradientOverWholePass);
        Assert.Equal(dInputOnce, dInputSplit);
        Assert.Equal(dParametersOnce, dParametersSplit);
    }

    [Fact]
    public void LowRank_BackwardInput_ThrowsNamingTheKind()
    {
        var matrix = new LowRankGateMatrix(6, 5, 2);
        float[] parameters = new float[matrix.ParameterCount];

        var error = Assert.Throws<InvalidOperationException>(() =>
            matrix.BackwardInput(new GateMatrixWeights(parameters, []), new float[6], 1, new float[5], new float[matrix.WorkspaceSize(1)]));

        Assert.False(matrix.TakesParameterGradientOverWholePass);
        Assert.Contains("lowrank", error.Message, StringComparison.Ordinal);
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
