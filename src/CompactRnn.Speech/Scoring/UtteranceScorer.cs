using System;
using System.Collections.Generic;
using CompactRnn.Speech.Data;
using CompactRnn.Speech.Decoding;

namespace CompactRnn.Speech.Scoring;

/// <summary>Decodes precomputed frame log-posteriors and keeps one <see cref="ScoredUtterance"/> per utterance.</summary>
public static class UtteranceScorer
{
    /// <summary>
    /// Decodes <paramref name="logPosteriors"/>[i] (row-major [frames, classes]) of <paramref name="utterances"/>[i];
    /// the set name comes from the split (<see cref="EvaluationSets"/>), the accent from the speaker id.
    /// </summary>
    public static ScoredUtterance[] Decode(IReadOnlyList<Utterance> utterances, IReadOnlyList<float[]> logPosteriors, DigitLoopDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(logPosteriors);
        ArgumentNullException.ThrowIfNull(decoder);
        if (utterances.Count != logPosteriors.Count)
        {
            throw new ArgumentException($"{utterances.Count} utterances but {logPosteriors.Count} posterior matrices.", nameof(logPosteriors));
        }

        var scored = new ScoredUtterance[utterances.Count];
        for (int i = 0; i < scored.Length; i++)
        {
            Utterance u = utterances[i];
            string[] hypothesis = decoder.Decode(logPosteriors[i], u.FrameCount);
            scored[i] = new ScoredUtterance(u.Id, EvaluationSets.NameOf(u.Split), u.Speaker, ScoredUtterance.AccentOfSpeaker(u.Speaker), u.Words, hypothesis);
        }

        return scored;
    }
}
