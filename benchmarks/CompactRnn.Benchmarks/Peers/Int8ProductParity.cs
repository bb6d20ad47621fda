using System;
using System.Linq;
using CompactRnn.Benchmarks.Onnx;
using CompactRnn.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// The agreement check of the int8 peer, run before it is timed: ONNX Runtime's quantized product
/// (<see cref="OrtInt8Graphs.Product"/>) against CompactRnn's <see cref="Int8Matrix"/> on the same integers and scales.
/// </summary>
/// <remarks>
/// <para><b>The tolerance, derived.</b> Both sides hold W as s_i·q_ip and both round x once. ORT rounds x to uint8
/// with the step <c>σ = (max(0, max_p x_p) − min(0, min_p x_p)) / 255</c> and the zero point
/// <c>z = round(−min(0, min x)/σ)</c>; the range that covers, [−zσ, (255 − z)σ], contains every x_p, so no entry clips
/// and each is off by at most σ/2. CompactRnn rounds x to 7 bits with the step <c>σ′ = (max_p x_p − min_p x_p) / 127</c>
/// and the offset min x (<see cref="Int8Matrix"/>), each entry off by at most (σ′/2)(1 + 10⁻⁴). Both integer sums are
/// exact, so each side is within its own term of s_i·Σ_p q_ip·x_p and
/// <c>|y_i^ORT − y_i^CompactRnn| ≤ s_i·((σ + σ′)/2)·Σ_p |q_ip|</c>, plus float32 rounding: ORT's conversions and two
/// scale products, CompactRnn's five roundings of its last line, at most
/// <c>(n + 8)·2⁻²³·s_i·Σ_p |q_ip|·(|x_p| + σ + 2·max_p |x_p|)</c>. The first term gets a relative slack of 10⁻³ for the
/// steps, which each side computes in float32.</para>
/// </remarks>
internal static class Int8ProductParity
{
    /// <summary>Input ranges tried: symmetric, positive only (zero point 0) and skewed.</summary>
    private static readonly (float Low, float High)[] Ranges = [(-1f, 1f), (0f, 2f), (-3f, 0.5f)];

    /// <summary>
    /// Runs both products of the rows × columns <paramref name="weights"/> on seeded inputs over <see cref="Ranges"/> and
    /// returns the largest |difference| / bound over every row (≤ 1 passes).
    /// </summary>
    /// <exception cref="InvalidOperationException">Some row differs by more than its bound.</exception>
    public static double Check(float[] weights, int rows, int columns, int seed)
    {
        ArgumentNullException.ThrowIfNull(weights);
        float[] quantized = Int8Matrix.QuantizeRows(rows, weights, columns, [], 0, out float[] scales);
        var matrix = new Int8Matrix(rows, weights, columns, [], 0);
        using InferenceSession session = OrtSessionFactory.Create(OrtInt8Graphs.Product(weights, rows, columns), intraOpThreads: 1);
        using var runOptions = new RunOptions();
        var random = new Random(seed);
        double worst = 0;
        foreach ((float low, float high) in Ranges)
        {
            float[] x = new float[matrix.PaddedColumns];
            for (int p = 0; p < columns; p++)
            {
                x[p] = low + ((high - low) * (float)random.NextDouble());
            }

            float[] compact = new float[rows];
            matrix.MultiplyAdd(x, compact);
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(x[..columns], [1, columns]);
            using var outputs = session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" });
            ReadOnlySpan<float> ort = outputs[0].GetTensorDataAsSpan<float>();
            float largest = x.Take(columns).Max(), smallest = x.Take(columns).Min();
            double step = (Math.Max(0f, largest) - Math.Min(0f, smallest)) / 255.0, ownStep = (largest - smallest) / 127.0;
            double reach = 2 * Math.Max(Math.Abs(largest), Math.Abs(smallest));
            for (int i = 0; i < rows; i++)
            {
                double absolute = 0, weighted = 0;
                for (int p = 0; p < columns; p++)
                {
                    double q = Math.Abs(quantized[(i * columns) + p]);
                    absolute += q;
                    weighted += q * (Math.Abs(x[p]) + step + reach);
                }

                double bound = scales[i] * ((absolute * (step + ownStep) / 2 * (1 + 1e-3)) + ((columns + 8) * Math.Pow(2, -23) * weighted));
                double difference = Math.Abs(ort[i] - compact[i]);
                double ratio = difference == 0 ? 0 : bound > 0 ? difference / bound : double.PositiveInfinity;
                worst = double.IsNaN(ratio) ? double.PositiveInfinity : Math.Max(worst, ratio);
            }
        }

        if (!(worst <= 1))
        {
            throw new InvalidOperationException($"int8 product {rows}×{columns}: ONNX Runtime and CompactRnn differ by {worst:F3} of the derived bound; not timing a different computation.");
        }

        return worst;
    }
}
