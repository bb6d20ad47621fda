using System;
using System.Linq;

namespace CompactRnn.Training;

/// <summary>
/// Reusable time-major buffers for one minibatch: features [T, B, F], frame labels and mask [T, B], and
/// the valid length of each sequence. Sized once for the longest sequence of the data it serves.
/// </summary>
internal sealed class Minibatch
{
    private readonly float[] _sequence;
    private readonly int[] _sequenceLabels;

    public Minibatch(int maxSteps, int batchSize, int featureSize)
    {
        MaxSteps = maxSteps;
        BatchSize = batchSize;
        FeatureSize = featureSize;
        Features = new float[maxSteps * batchSize * featureSize];
        Labels = new int[maxSteps * batchSize];
        Mask = new float[maxSteps * batchSize];
        Lengths = new int[batchSize];
        SequenceLabels = new int[batchSize];
        SequenceMask = new float[batchSize];
        _sequence = new float[maxSteps * featureSize];
        _sequenceLabels = new int[maxSteps];
    }

    public int MaxSteps { get; }

    public int BatchSize { get; }

    public int FeatureSize { get; }

    public float[] Features { get; }

    public int[] Labels { get; }

    public float[] Mask { get; }

    public int[] Lengths { get; }

    public int[] SequenceLabels { get; }

    /// <summary>1 for each loaded sequence, 0 for padding rows (sequence-level loss).</summary>
    public float[] SequenceMask { get; }

    /// <summary>T of the loaded batch: its longest sequence.</summary>
    public int Steps { get; private set; }

    /// <summary>Counted frames of the loaded batch.</summary>
    public int ValidFrames { get; private set; }

    /// <summary>Loads sequences <paramref name="indices"/> (at most B; missing rows become empty sequences).</summary>
    public void Load(ISequenceDataset data, ReadOnlySpan<int> indices, bool sequenceLabels)
    {
        int batch = BatchSize, f = FeatureSize;
        Array.Clear(Lengths);
        for (int b = 0; b < indices.Length; b++)
        {
            Lengths[b] = data.SequenceLength(indices[b]);
        }

        for (int b = 0; b < batch; b++)
        {
            SequenceMask[b] = b < indices.Length ? 1f : 0f;
        }

        Steps = Math.Max(1, Lengths.Max());
        ValidFrames = Lengths.Sum();
        Features.AsSpan(0, Steps * batch * f).Clear();
        Labels.AsSpan(0, Steps * batch).Clear();
        Mask.AsSpan(0, Steps * batch).Clear();
        for (int b = 0; b < indices.Length; b++)
        {
            int length = Lengths[b];
            data.ReadFeatures(indices[b], _sequence.AsSpan(0, length * f));
            if (sequenceLabels)
            {
                data.ReadLabels(indices[b], SequenceLabels.AsSpan(b, 1));
            }
            else
            {
                data.ReadLabels(indices[b], _sequenceLabels.AsSpan(0, length));
            }

            for (int t = 0; t < length; t++)
            {
                _sequence.AsSpan(t * f, f).CopyTo(Features.AsSpan(((t * batch) + b) * f, f)); // [T, F] → time-major [T, B, F]
                Labels[(t * batch) + b] = sequenceLabels ? 0 : _sequenceLabels[t];
                Mask[(t * batch) + b] = 1f;
            }
        }
    }

    /// <summary>The loss rows of chunk [start, start + steps): frame labels and mask, or one row per sequence.</summary>
    public int Targets(bool lastFrame, int start, int steps, out ReadOnlySpan<int> targets, out ReadOnlySpan<float> mask)
    {
        if (lastFrame)
        {
            // Sequence mode: one row per sequence; padding rows are not counted.
            targets = SequenceLabels;
            mask = SequenceMask;
            return BatchSize;
        }

        int rows = steps * BatchSize;
        targets = Labels.AsSpan(start * BatchSize, rows);
        mask = Mask.AsSpan(start * BatchSize, rows);
        return rows;
    }
}
