using System;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Compression;

/// <summary>Small "trained" models (initialised, then perturbed so biases and peepholes carry signal) and output comparisons.</summary>
internal static class CompressionFixture
{
    public const int Steps = 6;
    public const int Batch = 2;

    public static LstmModel Model(LstmNetworkOptions options, int seed)
    {
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed);
        var random = new Random(seed + 1);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (1.5f * parameters[i]) + (float)(0.2 * ((2 * random.NextDouble()) - 1));
        }

        return new LstmModel(network, parameters);
    }

    public static LstmNetworkOptions Options(int inputSize, int outputSize, params LstmLayerOptions[] layers)
        => new() { InputSize = inputSize, Layers = layers, OutputSize = outputSize };

    public static float[] Outputs(LstmModel model, int seed = 7)
    {
        var random = new Random(seed);
        float[] inputs = new float[Steps * Batch * model.Network.Options.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)((2 * random.NextDouble()) - 1);
        }

        float[] outputs = new float[Steps * Batch * model.Network.OutputSize];
        model.Infer(inputs, Steps, Batch, [], outputs);
        return outputs;
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }

        return max;
    }

    public static double FrobeniusDistance(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = (double)expected[i] - actual[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The parameters of one part of a layer: Wx | Wr | b | peepholes | Wp.</summary>
    public static ReadOnlySpan<float> Part(LstmModel model, int layer, string part)
    {
        LstmLayer lstm = model.Network.Layers[layer];
        ReadOnlySpan<float> parameters = model.Network.LayerParameters(model.Parameters, layer);
        int recurrent = lstm.InputMatrix.ParameterCount;
        int bias = recurrent + lstm.RecurrentMatrix.ParameterCount;
        int projection = bias + ((4 + (lstm.Options.Peepholes ? 3 : 0)) * lstm.HiddenSize);
        return part switch
        {
            "Wx" => parameters.Slice(0, recurrent),
            "Wr" => parameters.Slice(recurrent, lstm.RecurrentMatrix.ParameterCount),
            "b+peepholes" => parameters[bias..projection],
            "Wp" => parameters[projection..],
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
    }

    /// <summary>The dense m×n row-major form of one matrix of a layer.</summary>
    public static float[] Dense(LstmModel model, int layer, string part)
    {
        LstmLayer lstm = model.Network.Layers[layer];
        GateMatrix matrix = part switch
        {
            "Wx" => lstm.InputMatrix,
            "Wr" => lstm.RecurrentMatrix,
            _ => lstm.ProjectionMatrix!,
        };
        float[] dense = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(Part(model, layer, part), dense);
        return dense;
    }

    /// <summary>W_out of the model's output layer, classes × n_r.</summary>
    public static float[] OutputWeights(LstmModel model)
    {
        foreach (CompactRnn.Parameters.ParameterBlock block in model.Network.ParameterBlocks)
        {
            if (block.Name == "output.W")
            {
                return block.Slice(model.Parameters).ToArray();
            }
        }

        throw new InvalidOperationException("No output layer.");
    }
}
