using System;

namespace CompactRnn.Speech.Scoring;

/// <summary>Settings of the speaker-block bootstrap (docs/speech-benchmark.md, "Uncertainty").</summary>
public sealed record BootstrapOptions
{
    /// <summary>Number of bootstrap replicates R (default 2,000; at most 1,000,000).</summary>
    public int Replicates { get; init; } = 2000;

    /// <summary>Two-sided confidence level of the percentile interval (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Seed of the resampling stream, so an interval is reproducible (default 20161).</summary>
    public int Seed { get; init; } = 20161;

    internal void Validate()
    {
        if (Replicates < 100 || Replicates > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Replicates), Replicates, "Replicates must lie in 100..1,000,000.");
        }

        if (!(ConfidenceLevel > 0.5 && ConfidenceLevel < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie in (0.5, 1).");
        }
    }
}
