using System;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>One-hot log-posteriors from frame labels: 0 for the label, <c>floor</c> elsewhere.</summary>
internal static class OraclePosteriors
{
    public static float[] FromLabels(ReadOnlySpan<int> labels, int classCount, float floor = -20f)
    {
        var logPosteriors = new float[labels.Length * classCount];
        Array.Fill(logPosteriors, floor);
        for (int t = 0; t < labels.Length; t++)
        {
            logPosteriors[(t * classCount) + labels[t]] = 0f;
        }

        return logPosteriors;
    }

    public static float[] FromUtterance(Utterance utterance, int classCount) => FromLabels(utterance.FrameLabels, classCount);
}
