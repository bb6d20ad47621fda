using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Metrics;

/// <summary>Frame accuracy and phone error rate helpers on frame label sequences.</summary>
public static class FrameMetrics
{
    /// <summary>Number of frames whose arg-max class equals the label; posteriors row-major [frames, classes].</summary>
    public static int CountCorrectFrames(ReadOnlySpan<float> posteriors, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (posteriors.Length != labels.Length * classCount)
        {
            throw new ArgumentException($"Posterior length {posteriors.Length} is not {labels.Length}·{classCount}.", nameof(posteriors));
        }

        int correct = 0;
        for (int t = 0; t < labels.Length; t++)
        {
            ReadOnlySpan<float> row = posteriors.Slice(t * classCount, classCount);
            int best = 0;
            for (int c = 1; c < classCount; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            correct += best == labels[t] ? 1 : 0;
        }

        return correct;
    }

    /// <summary>
    /// The phone string of a frame labelling: runs of equal labels collapsed to one, silence removed
    /// (e.g. sil sil T T r i: i: sil → T r i:).
    /// </summary>
    public static int[] CollapseToPhones(ReadOnlySpan<int> frameLabels, int silenceClass)
    {
        var phones = new List<int>();
        int previous = -1;
        foreach (int label in frameLabels)
        {
            if (label != previous && label != silenceClass)
            {
                phones.Add(label);
            }

            previous = label;
        }

        return [.. phones];
    }

    /// <summary>
    /// Phone edit counts between the collapsed reference labels and the collapsed frame-wise arg-max of the
    /// posteriors (a decoder-free phone error rate; a repeated phone across a word boundary counts once in both).
    /// </summary>
    public static EditCounts PhoneErrors(ReadOnlySpan<float> posteriors, ReadOnlySpan<int> labels, int classCount, int silenceClass)
    {
        if (posteriors.Length != labels.Length * classCount)
        {
            throw new ArgumentException($"Posterior length {posteriors.Length} is not {labels.Length}·{classCount}.", nameof(posteriors));
        }

        var best = new int[labels.Length];
        for (int t = 0; t < labels.Length; t++)
        {
            ReadOnlySpan<float> row = posteriors.Slice(t * classCount, classCount);
            for (int c = 1; c < classCount; c++)
            {
                if (row[c] > row[best[t]])
                {
                    best[t] = c;
                }
            }
        }

        return EditDistance.Align(CollapseToPhones(labels, silenceClass), CollapseToPhones(best, silenceClass));
    }
}
