using System;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>A gate matrix with initialised parameters, its cache, workspaces and dense equivalent.</summary>
internal sealed class GateMatrixFixture
{
    private readonly Random _random;

    public GateMatrixFixture(GateMatrix matrix, int seed)
    {
        Matrix = matrix;
        _random = new Random(seed);
        Parameters = new float[matrix.ParameterCount];
        matrix.Initialize(Parameters, _random);
        Dense = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(Parameters, Dense);
    }

    public GateMatrix Matrix { get; }

    public float[] Parameters { get; }

    public float[] Dense { get; }

    public float[] RandomVector(int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((2 * _random.NextDouble()) - 1);
        }

        return values;
    }

    public void Forward(float[] input, int batch, float[] output)
    {
        float[] cache = PreparedCache();
        Matrix.Forward(new GateMatrixWeights(Parameters, cache), input, batch, output, new float[Matrix.WorkspaceSize(batch)]);
    }

    public void Backward(float[] input, float[] dOutput, int batch, float[] dParameters, float[] dInput)
    {
        float[] cache = PreparedCache();
        Matrix.Backward(new GateMatrixWeights(Parameters, cache), input, dOutput, batch, dParameters, dInput, new float[Matrix.WorkspaceSize(batch)]);
    }

    /// <summary>Σ_b ⟨dOutput_b, W·input_b⟩ in double, through the kind's own forward path.</summary>
    public double Loss(float[] input, float[] dOutput, int batch)
    {
        float[] output = new float[batch * Matrix.OutputSize];
        Forward(input, batch, output);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += (double)output[i] * dOutput[i];
        }

        return sum;
    }

    private float[] PreparedCache()
    {
        float[] cache = new float[Matrix.CacheSize];
        Matrix.Prepare(Parameters, cache);
        return cache;
    }
}
