using System.Collections.Generic;
using CompactRnn.Compression;

namespace CompactRnn.Cli.Experiments;

/// <summary>The sizes, recipe and sweep of one comparison run.</summary>
/// <param name="Name">The preset's name.</param>
/// <param name="DefaultData">The dataset file used when none is given.</param>
/// <param name="DefaultOutput">The results folder used when none is given.</param>
/// <param name="Layers">LSTMP layers.</param>
/// <param name="HiddenSize">Cells per layer.</param>
/// <param name="ProjectionSize">Projection size of the dense baseline.</param>
/// <param name="Recipe">How every model is trained (seed 1; other seeds replace it).</param>
/// <param name="Seeds">Seeds of the dense baseline and of the hybrid compressed from it at the primary budget (1, 2, …).</param>
/// <param name="Budgets">Shares of the dense parameters the hybrid is built at; the first is the primary budget.</param>
/// <param name="ScratchKinds">Other kinds trained from scratch at the primary budget.</param>
/// <param name="CompressedKinds">Other kinds compressed from dense and fine-tuned at the primary budget.</param>
/// <param name="SearchUtterances">Training utterances of each candidate's short fit in the dev search of the hybrid layout.</param>
internal sealed record ExperimentPreset(
    string Name, string DefaultData, string DefaultOutput, int Layers, int HiddenSize, int ProjectionSize, PlateauRecipe Recipe, int Seeds,
    IReadOnlyList<double> Budgets, IReadOnlyList<LayoutKind> ScratchKinds, IReadOnlyList<LayoutKind> CompressedKinds, int SearchUtterances)
{
    /// <summary>
    /// Training utterances (evenly spaced) of the activation fit that compresses into layouts with Toeplitz-like layers,
    /// in the layout search and in the compressed rows (docs/math.md §14.2).
    /// </summary>
    public int FitUtterances { get; init; } = LayoutFit.DefaultUtterances;

    /// <summary>L-BFGS iterations per layer of each candidate's activation fit in the layout search (bounds its cost).</summary>
    public int SearchFitIterations { get; init; } = LayoutFit.DefaultSearchIterations;

    /// <summary>L-BFGS iterations per layer of the activation fit of the compressed rows (the library's default).</summary>
    public int FitIterations { get; init; } = ToeplitzFitOptions.Default.MaxIterations;

    /// <summary>
    /// Seeds (1, 2, …) of the equal-training dense control <c>dense-long</c>, each the dense model of its seed trained on
    /// for as many epochs as the primary compressed hybrid of that seed; the bar over seeds needs one per seed.
    /// </summary>
    public int DenseLongSeeds { get; init; } = 1;

    /// <summary>
    /// The embedded default data and a small model; writes to a folder git ignores unless told otherwise. One seed of
    /// <c>dense-long</c>, so the preset stays within its 10 minutes.
    /// </summary>
    public static ExperimentPreset Quick { get; } = new(
        "quick", "data/digits-default.crds", "artifacts/results/quick", Layers: 2, HiddenSize: 128, ProjectionSize: 64,
        new PlateauRecipe(BatchSize: 16, LearningRate: PlateauRecipe.DefaultLearningRate, MaxEpochs: 12, Patience: 2, ClipNorm: 5f, Seed: 1), Seeds: 3,
        Budgets: [0.25, 0.2], ScratchKinds: [LayoutKind.LowRank, LayoutKind.SharedLowRank, LayoutKind.ToeplitzLike],
        CompressedKinds: [LayoutKind.LowRank, LayoutKind.SharedLowRank], SearchUtterances: 400);

    /// <summary>
    /// The generated benchmark set and a paper-like 3-layer LSTMP; resumable (finished models are kept). An epoch is a
    /// third of the 21,000 training utterances, so the dev loss steers halving and stopping three times per pass, and the
    /// cap of 12 is four passes (a cap of 9 left the dense rows still improving in their last epochs). Minibatches come from
    /// length-sorted pools of 50, which halves the frames computed (the padding). Low-rank is the other compressed kind
    /// (it beat shared low-rank on the quick preset's dev).
    /// <c>dense-long</c> runs for every seed, so the bar can be judged seed by seed (<see cref="Reporting.SeedMeanVerdict"/>).
    /// </summary>
    public static ExperimentPreset Full { get; } = new(
        "full", "data/digits-full.crds", "results/full", Layers: 3, HiddenSize: 192, ProjectionSize: 96,
        new PlateauRecipe(BatchSize: 32, LearningRate: PlateauRecipe.DefaultLearningRate, MaxEpochs: 12, Patience: 2, ClipNorm: 5f, Seed: 1) { EpochUtterances = 7000, LengthSortPool = 50 },
        Seeds: 3, Budgets: [0.25, 0.2], ScratchKinds: [], CompressedKinds: [LayoutKind.LowRank], SearchUtterances: 3000) { DenseLongSeeds = 3 };

    /// <summary>The committed copy of the quick results (refreshed only on request).</summary>
    public const string CommittedQuickOutput = "results/quick";

    /// <summary>Finds a preset by name.</summary>
    public static ExperimentPreset Get(string name) => name switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new CliException($"Unknown preset '{name}'. Use 'quick', 'full' or 'rank-sweep'."),
    };
}
