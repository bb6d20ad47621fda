using System;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The Toeplitz-like product straight from the definition, in double, O(r·N²):
/// <c>y = ½ Σ_j Z_1(g_j)·(Z_{−1}(J h_j)·x)</c> with <c>Z_f(v)_{ik} = v_{i−k}</c> (i ≥ k), <c>f·v_{N+i−k}</c> (i &lt; k).
/// </summary>
internal static class ToeplitzLikeReference
{
    /// <summary>y = M·x for G, H stored [r, N].</summary>
    public static double[] Multiply(ReadOnlySpan<float> g, ReadOnlySpan<float> h, int rank, int size, ReadOnlySpan<double> x)
    {
        double[] y = new double[size];
        double[] jh = new double[size];
        double[] gj = new double[size];
        for (int j = 0; j < rank; j++)
        {
            for (int i = 0; i < size; i++)
            {
                jh[i] = h[(j * size) + size - 1 - i];
                gj[i] = g[(j * size) + i];
            }

            double[] u = FCirculantTimes(jh, -1, x);
            double[] v = FCirculantTimes(gj, 1, u);
            for (int i = 0; i < size; i++)
            {
                y[i] += 0.5 * v[i];
            }
        }

        return y;
    }

    /// <summary>Z_f(v)·x.</summary>
    public static double[] FCirculantTimes(ReadOnlySpan<double> v, int f, ReadOnlySpan<double> x)
    {
        int size = v.Length;
        double[] y = new double[size];
        for (int i = 0; i < size; i++)
        {
            double sum = 0;
            for (int k = 0; k < size; k++)
            {
                sum += (i >= k ? v[i - k] : f * v[size + i - k]) * x[k];
            }

            y[i] = sum;
        }

        return y;
    }
}
