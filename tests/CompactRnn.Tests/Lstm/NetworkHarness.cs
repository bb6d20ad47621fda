using System;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>
/// A network with initialised parameters, random inputs, variable lengths and a fixed linear loss
/// L = Σ_{valid frames} ⟨R, z⟩ (so dL/dz = R on valid frames), for gradient checks.
/// </summary>
internal sealed class NetworkHarness
{
    /// <summary>Builds the network and draws perturbed parameters, inputs and lengths.</summary>
    /// <param name="options">The network.</param>
    /// <param name="steps">T.</param>
    /// <param name="lengths">Per-sequence lengths (their count is B).</param>
    /// <param name="seed">Seed of parameters, inputs and the loss weights.</param>
    /// <param name="parameterScale">Factor on the initial parameters before the perturbation.</param>
    /// <param name="fftOnly">Build Toeplitz-like matrices without their dense forms, so every product runs through FFTs.</param>
    public NetworkHarness(LstmNetworkOptions options, int steps, int[] lengths, int seed, float parameterScale = 1f, bool fftOnly = false)
    {
        Network = new LstmNetwork(options, denseForms: !fftOnly);

        Steps = steps;
        Lengths = lengths;
        var random = new Random(seed);
        Parameters = new float[Network.ParameterCount];
        Network.Initialize(Parameters, seed);
        for (int i = 0; i < Parameters.Length; i++)
        {
            // Perturb everything (biases and peepholes start at 0/1) so every path carries signal.
            Parameters[i] = (Parameters[i] * parameterScale) + (float)(0.2 * ((2 * random.NextDouble()) - 1));
        }

        Cache = new float[Network.CacheSize];
        Inputs = Random(random, steps * lengths.Length * options.InputSize, 1.5);
        int rows = options.OutputMode == OutputMode.LastFrame ? lengths.Length : steps * lengths.Length;
        Weights = Random(random, rows * Network.OutputSize, 1.0);
        if (options.OutputMode == OutputMode.Frame)
        {
            for (int t = 0; t < steps; t++)
            {
                for (int b = 0; b < lengths.Length; b++)
                {
                    if (t >= lengths[b])
                    {
                        Weights.AsSpan(((t * lengths.Length) + b) * Network.OutputSize, Network.OutputSize).Clear();
                    }
                }
            }
        }

        Tape = Network.CreateTape(steps, lengths.Length);
        InitialOutputs = new float[Network.Layers.Count][];
        InitialCells = new float[Network.Layers.Count][];
        for (int l = 0; l < Network.Layers.Count; l++)
        {
            InitialOutputs[l] = Random(random, lengths.Length * Network.Layers[l].OutputSize, 0.5);
            InitialCells[l] = Random(random, lengths.Length * Network.Layers[l].HiddenSize, 0.5);
        }
    }

    public LstmNetwork Network { get; }

    public int Steps { get; }

    public int[] Lengths { get; }

    public float[] Parameters { get; }

    public float[] Cache { get; }

    public float[] Inputs { get; }

    public float[] Weights { get; }

    public float[][] InitialOutputs { get; }

    public float[][] InitialCells { get; }

    public LstmNetworkTape Tape { get; }

    /// <summary>Runs forward and returns L in double.</summary>
    public double Loss()
    {
        Network.Prepare(Parameters, Cache);
        for (int l = 0; l < Network.Layers.Count; l++)
        {
            InitialOutputs[l].CopyTo(Tape.Layers[l].InitialOutput);
            InitialCells[l].CopyTo(Tape.Layers[l].InitialCell);
        }

        Network.Forward(Parameters, Cache, Inputs, Steps, Lengths, Tape, training: false);
        double sum = 0;
        ReadOnlySpan<float> logits = Tape.Logits[..Weights.Length];
        for (int i = 0; i < Weights.Length; i++)
        {
            sum += (double)Weights[i] * logits[i];
        }

        return sum;
    }

    /// <summary>Forward then backward; returns (dParameters, dInputs).</summary>
    public (float[] Parameters, float[] Inputs) Gradients()
    {
        Loss();
        float[] dParameters = new float[Parameters.Length];
        float[] dInputs = new float[Inputs.Length];
        Network.Backward(Parameters, Cache, Inputs, Steps, Lengths, Tape, Weights, dParameters, dInputs);
        return (dParameters, dInputs);
    }

    private static float[] Random(Random random, int length, double scale)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(scale * ((2 * random.NextDouble()) - 1));
        }

        return values;
    }
}
