using System.Collections.Generic;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// What the comparison needs from the scoring library: a bootstrap interval of a WER over voices, and of the
/// paired difference of two models scored on the same utterances. The experiment only talks to this interface,
/// so the statistics live in one place (the speech project's scoring library).
/// </summary>
internal interface IWerIntervals
{
    /// <summary>A short description for the summary (method, resampling unit, level, replicates).</summary>
    string Description { get; }

    /// <summary>The interval of the WER (in %) of one model's scores on one set.</summary>
    Interval Wer(IReadOnlyList<ScoredUtterance> scores);

    /// <summary>The interval of WER(model) − WER(reference) in points; both lists cover the same utterances.</summary>
    Interval Difference(IReadOnlyList<ScoredUtterance> model, IReadOnlyList<ScoredUtterance> reference);

    /// <summary>
    /// The interval of the mean over pairs (e.g. seeds) of WER(model) − WER(reference) in points, every pair on the
    /// same utterances, from one paired draw of voices shared by all pairs.
    /// </summary>
    Interval MeanDifference(IReadOnlyList<(IReadOnlyList<ScoredUtterance> Model, IReadOnlyList<ScoredUtterance> Reference)> pairs);
}
