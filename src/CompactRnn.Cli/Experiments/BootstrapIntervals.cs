using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>The scoring library's speaker-block bootstrap (<see cref="BlockBootstrap"/>), in WER points.</summary>
internal sealed class BootstrapIntervals : IWerIntervals
{
    private readonly BootstrapOptions _options = new();

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{_options.ConfidenceLevel:P0} percentile intervals from a bootstrap over voices (speaker blocks), {_options.Replicates} replicates, seed {_options.Seed}; the gap's interval is paired (the same voices drawn for both models)");

    public Interval Wer(IReadOnlyList<ScoredUtterance> scores)
    {
        WerEstimate estimate = BlockBootstrap.Wer(scores, options: _options);
        return new Interval(100 * estimate.Lower, 100 * estimate.Upper);
    }

    public Interval Difference(IReadOnlyList<ScoredUtterance> model, IReadOnlyList<ScoredUtterance> reference)
    {
        PairedDifference difference = BlockBootstrap.Paired(model, reference, _options);
        return new Interval(100 * difference.Lower, 100 * difference.Upper);
    }

    public Interval MeanDifference(IReadOnlyList<(IReadOnlyList<ScoredUtterance> Model, IReadOnlyList<ScoredUtterance> Reference)> pairs)
    {
        PairedDifference difference = BlockBootstrap.PairedMean(pairs, _options);
        return new Interval(100 * difference.Lower, 100 * difference.Upper);
    }
}
