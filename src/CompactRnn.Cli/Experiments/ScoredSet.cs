using System.Collections.Generic;
using CompactRnn.Speech.Metrics;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>One model decoded on one set: totals and every utterance.</summary>
/// <param name="Name">The set (<c>test</c>, <c>dev</c>, …).</param>
/// <param name="Totals">Word edit counts over the set.</param>
/// <param name="SentenceErrors">Utterances with at least one word error.</param>
/// <param name="FrameAccuracy">Share of frames whose arg-max class is the label, or NaN without frame labels.</param>
/// <param name="Utterances">Per-utterance scores.</param>
internal sealed record ScoredSet(string Name, EditCounts Totals, int SentenceErrors, double FrameAccuracy, IReadOnlyList<ScoredUtterance> Utterances)
{
    /// <summary>WER in %.</summary>
    public double Wer => 100 * Totals.Rate;

    /// <summary>Sentence error rate in %.</summary>
    public double SentenceErrorRate => Utterances.Count == 0 ? double.NaN : 100.0 * SentenceErrors / Utterances.Count;
}
