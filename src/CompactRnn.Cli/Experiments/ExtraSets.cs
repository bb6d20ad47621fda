namespace CompactRnn.Cli.Experiments;

/// <summary>Names of the scored sets beyond the primary test split (present when the benchmark data provides them).</summary>
internal static class ExtraSets
{
    /// <summary>An accent heard in neither training nor dev.</summary>
    public const string UnseenAccent = "test-accent";

    /// <summary>Speech from a different synthesiser than training's.</summary>
    public const string CrossSynth = "cross-synth";
}
