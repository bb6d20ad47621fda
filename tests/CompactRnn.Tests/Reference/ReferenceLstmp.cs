using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Reference;

/// <summary>
/// An independent, scalar, double-precision LSTMP stack written straight from docs/math.md §2, with every
/// gate matrix taken as its dense equivalent (<c>ToDense</c>). Forward only: its gradients come from
/// double-precision central differences, which the float BPTT must match.
/// </summary>
internal static class ReferenceLstmp
{
    /// <summary>Frame-mode logits [T, B, classes] for the network's parameters and initial states.</summary>
    public static double[] Logits(LstmNetwork network, double[] parameters, float[] inputs, int steps, int[] lengths,
        float[][] initialOutputs, float[][] initialCells)
    {
        int batch = lengths.Length;
        double[] x = Array.ConvertAll(inputs, v => (double)v);
        int offset = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            int n = layer.HiddenSize, r = layer.OutputSize, nIn = layer.InputSize;
            double[] wx = Dense(layer.InputMatrix, parameters, ref offset);
            double[] wr = Dense(layer.RecurrentMatrix, parameters, ref offset);
            double[] bias = Slice(parameters, ref offset, 4 * n);
            double[] peep = layer.Options.Peepholes ? Slice(parameters, ref offset, 3 * n) : new double[3 * n];
            double[]? wp = layer.ProjectionMatrix is null ? null : Dense(layer.ProjectionMatrix, parameters, ref offset);
            double[] output = new double[steps * batch * r];
            for (int b = 0; b < batch; b++)
            {
                double[] rPrev = Array.ConvertAll(initialOutputs[l].AsSpan(b * r, r).ToArray(), v => (double)v);
                double[] cPrev = Array.ConvertAll(initialCells[l].AsSpan(b * n, n).ToArray(), v => (double)v);
                for (int t = 0; t < steps; t++)
                {
                    if (t < lengths[b])
                    {
                        (rPrev, cPrev) = Step(layer.Options, x.AsSpan(((t * batch) + b) * nIn, nIn), rPrev, cPrev, wx, wr, bias, peep, wp, n, r);
                    }

                    rPrev.CopyTo(output, ((t * batch) + b) * r);
                }
            }

            x = output;
        }

        int top = network.Layers[^1].OutputSize, classes = network.OutputSize;
        double[] logits = new double[steps * batch * classes];
        for (int row = 0; row < steps * batch; row++)
        {
            for (int k = 0; k < classes; k++)
            {
                double sum = parameters[offset + (classes * top) + k];
                for (int j = 0; j < top; j++)
                {
                    sum += parameters[offset + (k * top) + j] * x[(row * top) + j];
                }

                logits[(row * classes) + k] = sum;
            }
        }

        return logits;
    }

    private static (double[] R, double[] C) Step(LstmLayerOptions options, ReadOnlySpan<double> x, double[] rPrev, double[] cPrev,
        double[] wx, double[] wr, double[] bias, double[] peep, double[]? wp, int n, int r)
    {
        int nIn = x.Length;
        double[] a = new double[4 * n];
        for (int row = 0; row < 4 * n; row++)
        {
            double sum = bias[row];
            for (int j = 0; j < nIn; j++)
            {
                sum += wx[(row * nIn) + j] * x[j];
            }

            for (int j = 0; j < r; j++)
            {
                sum += wr[(row * r) + j] * rPrev[j];
            }

            a[row] = sum;
        }

        double[] c = new double[n], m = new double[n];
        for (int k = 0; k < n; k++)
        {
            double i = Sigmoid(a[k] + (peep[k] * cPrev[k]));
            double f = Sigmoid(a[n + k] + (peep[n + k] * cPrev[k]));
            double g = Math.Tanh(a[(2 * n) + k]);
            double cHat = (f * cPrev[k]) + (i * g);
            c[k] = options.CellClip > 0 ? Math.Clamp(cHat, -options.CellClip, options.CellClip) : cHat;
            double o = Sigmoid(a[(3 * n) + k] + (peep[(2 * n) + k] * c[k]));
            m[k] = o * Math.Tanh(c[k]);
        }

        if (wp is null)
        {
            return (m, c);
        }

        double[] rNew = new double[r];
        for (int k = 0; k < r; k++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                sum += wp[(k * n) + j] * m[j];
            }

            rNew[k] = options.ProjectionClip > 0 ? Math.Clamp(sum, -options.ProjectionClip, options.ProjectionClip) : sum;
        }

        return (rNew, c);
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    private static double[] Dense(CompactRnn.GateMatrices.GateMatrix matrix, double[] parameters, ref int offset)
    {
        if (matrix is not CompactRnn.GateMatrices.DenseGateMatrix)
        {
            throw new ArgumentException("The double reference reads dense matrices only.", nameof(matrix));
        }

        return Slice(parameters, ref offset, matrix.ParameterCount);
    }

    private static double[] Slice(double[] parameters, ref int offset, int length)
    {
        double[] values = parameters.AsSpan(offset, length).ToArray();
        offset += length;
        return values;
    }
}
