using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Sizes layouts to a parameter budget: for every kind, the largest rank whose whole network (output layer
/// included) stays within the budget's share of the dense baseline's parameters. Counts are closed forms of
/// typed layer specs (<see cref="NetworkFootprint"/>); nothing is built and no spec text is parsed to count.
/// </summary>
internal sealed class BudgetPlanner
{
    /// <summary>
    /// Displacement ranks a hybrid's Toeplitz-like layers are searched over (the shared rank fills the rest of the
    /// budget): powers of two, each kept where a shared rank of at least 1 fits beside it (<see cref="Hybrids"/>).
    /// </summary>
    public static readonly int[] HybridDisplacementRanks = [1, 2, 4, 8, 16, 32];

    private readonly int _inputSize;
    private readonly int _classes;

    public BudgetPlanner(int layers, LstmLayerOptions defaults, int inputSize, int classes)
    {
        Layers = layers;
        Defaults = defaults;
        _inputSize = inputSize;
        _classes = classes;
        DenseParameters = Count(Enumerable.Repeat(Structured(GateMatrixSpec.Dense), layers).ToArray());
    }

    public BudgetPlanner(ExperimentPreset preset, int inputSize, int classes)
        : this(preset.Layers, new LstmLayerOptions { HiddenSize = preset.HiddenSize, ProjectionSize = preset.ProjectionSize, Peepholes = true, CellClip = 50f }, inputSize, classes)
    {
    }

    public int Layers { get; }

    /// <summary>The layer defaults every spec starts from.</summary>
    public LstmLayerOptions Defaults { get; }

    public string DenseSpec => Invariant($"dense x{Layers}");

    public long DenseParameters { get; }

    /// <summary>The parameter target of a budget share: ⌊share · dense⌋ (a row at the budget never exceeds it).</summary>
    public long Target(double share) => (long)Math.Floor(share * DenseParameters);

    public LstmNetworkOptions Options(string spec) => Options(NetworkSpec.Parse(spec, Defaults));

    /// <summary>The parameters of a spec read from text (a results or search file).</summary>
    public long Count(string spec) => Count(NetworkSpec.Parse(spec, Defaults));

    /// <summary>The parameters of a layer stack on this planner's input and output sizes, in closed form (nothing is built).</summary>
    public long Count(IReadOnlyList<LstmLayerOptions> layers) => NetworkFootprint.Measure(Options(layers)).ParameterCount;

    /// <summary>The one-kind layout of <paramref name="kind"/> (low-rank, shared low-rank or Toeplitz-like) within the budget, or null if even rank 1 exceeds it.</summary>
    /// <exception cref="ArgumentException">The hybrid (see <see cref="Hybrids"/>).</exception>
    public LayoutCandidate? Uniform(LayoutKind kind, double share)
    {
        long target = Target(share);
        (Func<int, GateMatrixSpec> spec, int maxRank) = kind switch
        {
            LayoutKind.ToeplitzLike => ((Func<int, GateMatrixSpec>)(r => new ToeplitzLikeGateMatrixSpec(r)), Defaults.HiddenSize),
            LayoutKind.LowRank => (k => new LowRankGateMatrixSpec(k), 4 * Defaults.HiddenSize),
            LayoutKind.SharedLowRank => (k => new SharedLowRankGateMatrixSpec(k), Defaults.HiddenSize),
            _ => throw new ArgumentException($"{kind} is not a one-kind layout; expected low-rank, shared low-rank or Toeplitz-like.", nameof(kind)),
        };
        LstmLayerOptions Layer(int rank) => kind == LayoutKind.SharedLowRank ? Shared(rank) : Structured(spec(rank));
        int rank = Largest(rank => Count(Enumerable.Repeat(Layer(rank), Layers).ToArray()), maxRank, target);
        if (rank == 0)
        {
            return null;
        }

        // The spec text is only written here, for the plan and the results files; counting never goes through it.
        string text = Invariant($"{spec(rank)} x{Layers}");
        return kind == LayoutKind.ToeplitzLike ? new LayoutCandidate(kind, text, 0, rank, Layers) : new LayoutCandidate(kind, text, rank, 0, 0);
    }

    /// <summary>
    /// The hybrid layouts within the budget: every split into Toeplitz-like bottom layers and shared low-rank top
    /// layers (at least one of each when there are two or more layers), every displacement rank of
    /// <see cref="HybridDisplacementRanks"/> that leaves room for a shared rank of at least 1, and for each the
    /// largest shared rank that fits.
    /// </summary>
    public IReadOnlyList<LayoutCandidate> Hybrids(double share)
    {
        long target = Target(share);
        var candidates = new List<LayoutCandidate>();
        for (int t = 1; t <= Math.Max(1, Layers - 1); t++)
        {
            foreach (int r in HybridDisplacementRanks)
            {
                int k = Largest(k => Count(Hybrid(t, r, k)), Defaults.HiddenSize, target);
                if (k > 0)
                {
                    candidates.Add(new LayoutCandidate(LayoutKind.Hybrid, LayoutCandidate.HybridSpec(Layers, t, r, k), k, r, t));
                }
            }
        }

        return candidates;
    }

    /// <summary>The layers of <see cref="LayoutCandidate.HybridSpec"/>: Toeplitz-like bottom layers (the last one projecting to K), shared low-rank above.</summary>
    internal LstmLayerOptions[] Hybrid(int toeplitzLayers, int displacementRank, int sharedRank)
    {
        LstmLayerOptions bottom = Structured(new ToeplitzLikeGateMatrixSpec(displacementRank));
        return
        [
            .. Enumerable.Repeat(bottom, toeplitzLayers - 1),
            bottom with { ProjectionSize = sharedRank },
            .. Enumerable.Repeat(Shared(sharedRank), Layers - toeplitzLayers),
        ];
    }

    private LstmNetworkOptions Options(IReadOnlyList<LstmLayerOptions> layers) => new()
    {
        InputSize = _inputSize,
        Layers = layers,
        OutputSize = _classes,
    };

    // What NetworkSpec makes of 'kind:…' and 'shared-lowrank:k=K' on these defaults.
    private LstmLayerOptions Structured(GateMatrixSpec spec) => Defaults with { Input = spec, Recurrent = spec, Projection = GateMatrixSpec.Dense };

    private LstmLayerOptions Shared(int rank) => Defaults with
    {
        ProjectionSize = rank,
        Input = GateMatrixSpec.Dense,
        Recurrent = GateMatrixSpec.Dense,
        Projection = new SharedLowRankGateMatrixSpec(rank),
    };

    // The largest rank in [1, maxRank] whose count is within the target (counts grow with the rank); 0 if none.
    private static int Largest(Func<int, long> count, int maxRank, long target)
    {
        int best = 0;
        for (int rank = 1; rank <= maxRank && count(rank) <= target; rank++)
        {
            best = rank;
        }

        return best;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
