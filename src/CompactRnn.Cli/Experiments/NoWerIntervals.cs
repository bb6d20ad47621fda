using System.Collections.Generic;

namespace CompactRnn.Cli.Experiments;

/// <summary>Used while no bootstrap is available: every interval is unknown, and the summary says so.</summary>
internal sealed class NoWerIntervals : IWerIntervals
{
    public string Description => "no intervals (the scoring library's bootstrap is not available in this build)";

    public Interval Wer(IReadOnlyList<UtteranceScore> scores) => Interval.Unknown;

    public Interval Difference(IReadOnlyList<UtteranceScore> model, IReadOnlyList<UtteranceScore> reference) => Interval.Unknown;
}
