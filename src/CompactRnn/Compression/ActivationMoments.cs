using System;
using System.Collections.Generic;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Compression;

/// <summary>
/// Moments <c>C_l = Σ_t z_t z_tᵀ</c>, <c>s_l = Σ_t z_t</c> and the frame count of each chosen layer's gate-matrix inputs <c>z_t = [x_t; r_{t−1}]</c>, taken
/// from the source model itself (teacher forcing, docs/math.md §14.2) over sample utterances. Memory is p² doubles per
/// layer (p = n_in + n_r) whatever the number of utterances.
/// </summary>
internal static class ActivationMoments
{
    /// <summary>The moments of every chosen layer, null for the others.</summary>
    /// <param name="model">The model whose layer inputs are collected.</param>
    /// <param name="utterances">Each utterance's inputs, time-major [T, n_in].</param>
    /// <param name="chosen">Which layers need moments.</param>
    /// <param name="parameterName">Names the argument that carried <paramref name="utterances"/> in errors.</param>
    public static LayerMoments?[] Collect(LstmModel model, IReadOnlyList<float[]> utterances, bool[] chosen, string parameterName)
    {
        LstmNetwork network = model.Network;
        int inputSize = network.Options.InputSize;
        int longest = 0;
        for (int u = 0; u < utterances.Count; u++)
        {
            float[]? frames = utterances[u];
            if (frames is null || frames.Length == 0 || frames.Length % inputSize != 0)
            {
                throw new ArgumentException($"Utterance {u} has {frames?.Length ?? 0} values, not a positive multiple of the model's input size {inputSize}.", parameterName);
            }

            if (Array.Exists(frames, v => !float.IsFinite(v)))
            {
                throw new ArgumentException($"Utterance {u} has a non-finite input value.", parameterName);
            }

            longest = Math.Max(longest, frames.Length / inputSize);
        }

        var moments = new LayerMoments?[network.Layers.Count];
        for (int l = 0; l < moments.Length; l++)
        {
            if (chosen[l])
            {
                int p = network.Layers[l].InputSize + network.Layers[l].OutputSize;
                moments[l] = new LayerMoments(new double[p * p], new double[p]);
            }
        }

        float[] cache = new float[network.CacheSize];
        network.Prepare(model.Parameters, cache);
        LstmNetworkTape tape = network.CreateTape(longest, 1);
        foreach (float[] frames in utterances)
        {
            int steps = frames.Length / inputSize;
            tape.ResetState();
            network.Forward(model.Parameters, cache, frames, steps, lengths: [], tape, training: false);
            for (int l = 0; l < moments.Length; l++)
            {
                if (moments[l] is { } moment)
                {
                    LstmLayer layer = network.Layers[l];
                    ReadOnlySpan<float> inputs = l == 0 ? frames : tape.Layers[l - 1].Outputs(steps);
                    moment.Frames += steps;
                    Accumulate(moment.Second, moment.Sum, inputs, tape.Layers[l].InitialOutput, tape.Layers[l].Outputs(steps), layer.InputSize, layer.OutputSize, steps);
                }
            }
        }

        foreach (LayerMoments? moment in moments)
        {
            if (moment is not null)
            {
                Mirror(moment.Second);
            }
        }

        return moments;
    }

    // Upper triangle of Σ_t z_t z_tᵀ with z_t = [x_t; r_{t−1}] and r_{−1} the initial output.
    private static void Accumulate(double[] moment, double[] sum, ReadOnlySpan<float> inputs, ReadOnlySpan<float> initial, ReadOnlySpan<float> outputs, int inputSize, int outputSize, int steps)
    {
        int p = inputSize + outputSize;
        double[] z = new double[p];
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<float> x = inputs.Slice(t * inputSize, inputSize);
            ReadOnlySpan<float> r = t == 0 ? initial : outputs.Slice((t - 1) * outputSize, outputSize);
            for (int i = 0; i < inputSize; i++)
            {
                z[i] = x[i];
            }

            for (int i = 0; i < outputSize; i++)
            {
                z[inputSize + i] = r[i];
            }

            for (int i = 0; i < p; i++)
            {
                double zi = z[i];
                sum[i] += zi;
                if (zi == 0)
                {
                    continue;
                }

                Span<double> row = moment.AsSpan(i * p, p);
                for (int j = i; j < p; j++)
                {
                    row[j] += zi * z[j];
                }
            }
        }
    }

    private static void Mirror(double[] moment)
    {
        int p = (int)Math.Round(Math.Sqrt(moment.Length));
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < i; j++)
            {
                moment[(i * p) + j] = moment[(j * p) + i];
            }
        }
    }
}
