namespace CompactRnn.Cli.Experiments;

/// <summary>One model of a comparison.</summary>
/// <param name="Name">Unique name, e.g. <c>hybrid-25</c>; the model file and CSV row are keyed by it.</param>
/// <param name="Kind">dense, lowrank, shared-lowrank, toeplitz, hybrid, lowrank-svd, shared-lowrank-svd or hybrid-svd.</param>
/// <param name="Spec">The layer spec (for the SVD kinds, the structure the compression produces).</param>
/// <param name="Budget">The target fraction of the dense parameters (1 for dense).</param>
/// <param name="Rank">The rank handed to the compressor for the SVD kinds (the shared rank K for hybrid-svd); 0 otherwise.</param>
/// <param name="DisplacementRank">The Toeplitz-like displacement rank R for hybrid-svd; 0 otherwise.</param>
internal sealed record ModelPlan(string Name, string Kind, string Spec, double Budget, int Rank = 0, int DisplacementRank = 0)
{
    /// <summary>Whether the model starts from the trained dense model (SVD, then fine-tuning).</summary>
    public bool FromDense => Kind.EndsWith("-svd", System.StringComparison.Ordinal);
}
