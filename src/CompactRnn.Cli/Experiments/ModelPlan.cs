namespace CompactRnn.Cli.Experiments;

/// <summary>One model of a comparison.</summary>
/// <param name="Name">Row name.</param>
/// <param name="Kind">What the model is; its text is the row kind (<see cref="ResultRow.Kind"/>).</param>
/// <param name="Stage">1: trained from scratch; 2: hybrid (from scratch, or compressed) and compressed rows, after the dev search of
/// the hybrid layout; 3: the equal-training dense control, after the compressed row whose training it matches.</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
/// <param name="Budget">Share of the dense parameters (1 for dense rows).</param>
/// <param name="Layout">The layout, or null for dense rows and for hybrids (whose layout the dev search chooses).</param>
/// <param name="Source">The trained dense row it starts from, or null when trained from scratch.</param>
/// <param name="MatchEpochsOf">For the dense control: the row whose fine-tuning epochs it runs (so both have the same updates), else null.</param>
internal sealed record ModelPlan(string Name, PlanKind Kind, int Stage, int Seed, double Budget, LayoutCandidate? Layout, string? Source, string? MatchEpochsOf = null)
{
    /// <summary>Whether the model starts from a trained dense model.</summary>
    public bool FromDense => Source is not null;

    /// <summary>Whether its layout is the hybrid chosen on dev at <see cref="Budget"/>.</summary>
    public bool NeedsHybridLayout => Kind.Layout == LayoutKind.Hybrid;
}
