using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>
/// A task that needs memory: frame t's label is the arg-max of frame t−1's features (class 0 at t = 0);
/// the sequence label is the arg-max of the sum over the sequence. Lengths vary from 3 to 12.
/// </summary>
internal sealed class DelayedArgMaxDataset : ISequenceDataset
{
    private readonly float[][] _features;

    public DelayedArgMaxDataset(int count, int seed, bool poison = false)
    {
        var random = new Random(seed);
        _features = new float[count][];
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(3, 13);
            _features[i] = new float[length * FeatureSize];
            for (int k = 0; k < _features[i].Length; k++)
            {
                _features[i][k] = poison && i == 0 && k == 1 ? float.NaN : (float)((2 * random.NextDouble()) - 1);
            }
        }
    }

    public int Count => _features.Length;

    public int FeatureSize => 3;

    public int SequenceLength(int index) => _features[index].Length / FeatureSize;

    public void ReadFeatures(int index, Span<float> features) => _features[index].CopyTo(features);

    public void ReadLabels(int index, Span<int> labels)
    {
        float[] x = _features[index];
        if (labels.Length == 1)
        {
            float[] sums = new float[FeatureSize];
            for (int k = 0; k < x.Length; k++)
            {
                sums[k % FeatureSize] += x[k];
            }

            labels[0] = ArgMax(sums);
            return;
        }

        labels[0] = 0;
        for (int t = 1; t < labels.Length; t++)
        {
            labels[t] = ArgMax(x.AsSpan((t - 1) * FeatureSize, FeatureSize));
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
