using System;
using System.Linq;

namespace CompactRnn.Speech.Data;

/// <summary>
/// Frame-class priors estimated from the training split only (docs/speech-benchmark.md, "Decoder inputs").
/// A class with n_c &gt; 0 training frames out of N gets log p(c) = log(n_c / N). A class with no training
/// frames gets the floor log p(c) = max over trained classes of log p(c′): the hybrid score divides the
/// posterior by the prior, so giving an untrained class the largest trained prior means that, for the same
/// posterior, it can never score above any trained class (a tiny add-one prior would have made it score
/// highest of all).
/// </summary>
public static class TrainingPriors
{
    /// <summary>Training frames per class (utterances of <see cref="DatasetSplit.Train"/> with labels).</summary>
    public static long[] CountFrames(SpeechDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = new long[dataset.ClassCount];
        foreach (Utterance utterance in dataset.Utterances)
        {
            if (utterance.Split != DatasetSplit.Train || !utterance.HasFrameLabels)
            {
                continue;
            }

            foreach (int label in utterance.FrameLabels)
            {
                counts[label]++;
            }
        }

        return counts;
    }

    /// <summary>
    /// Log priors from per-class frame counts, with the floor for untrained classes described on the type.
    /// Without any training frames every class gets the uniform log(1/C).
    /// </summary>
    public static float[] FromCounts(ReadOnlySpan<long> counts)
    {
        if (counts.Length == 0)
        {
            throw new ArgumentException("At least one class is needed.", nameof(counts));
        }

        long total = 0;
        foreach (long n in counts)
        {
            if (n < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), n, "Frame counts must be non-negative.");
            }

            total = checked(total + n);
        }

        var logPriors = new float[counts.Length];
        if (total == 0)
        {
            Array.Fill(logPriors, (float)-Math.Log(counts.Length));
            return logPriors;
        }

        float floor = float.NegativeInfinity;
        for (int c = 0; c < counts.Length; c++)
        {
            logPriors[c] = counts[c] > 0 ? (float)Math.Log((double)counts[c] / total) : float.NaN;
            if (counts[c] > 0)
            {
                floor = Math.Max(floor, logPriors[c]);
            }
        }

        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
            {
                logPriors[c] = floor;
            }
        }

        return logPriors;
    }

    /// <summary>True for each class that has at least one training frame.</summary>
    public static bool[] Trained(ReadOnlySpan<long> counts) => [.. counts.ToArray().Select(n => n > 0)];
}
