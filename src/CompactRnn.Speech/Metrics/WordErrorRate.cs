using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Metrics;

/// <summary>
/// Corpus word error rate accumulator: WER = (S + D + I)/N summed over utterances, and sentence error
/// rate = fraction of utterances whose hypothesis differs from the reference in any word.
/// </summary>
public sealed class WordErrorRate
{
    private EditCounts _totals;

    /// <summary>Accumulated substitutions, deletions, insertions and reference words.</summary>
    public EditCounts Totals => _totals;

    /// <summary>Number of utterances added.</summary>
    public int Sentences { get; private set; }

    /// <summary>Number of utterances with at least one error.</summary>
    public int SentenceErrors { get; private set; }

    /// <summary>(S + D + I)/N over everything added.</summary>
    public double Rate => _totals.Rate;

    /// <summary>SentenceErrors / Sentences (0 when empty).</summary>
    public double SentenceErrorRate => Sentences == 0 ? 0.0 : (double)SentenceErrors / Sentences;

    /// <summary>Word-level edit counts of one utterance (ordinal, case-sensitive comparison).</summary>
    public static EditCounts Compute(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis) =>
        EditDistance.Align(reference, hypothesis, StringComparer.Ordinal);

    /// <summary>Scores one utterance and adds it to the totals; returns its counts.</summary>
    public EditCounts Add(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        EditCounts counts = Compute(reference, hypothesis);
        _totals += counts;
        Sentences++;
        if (counts.Errors > 0)
        {
            SentenceErrors++;
        }

        return counts;
    }
}
