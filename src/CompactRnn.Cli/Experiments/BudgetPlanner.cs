using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Sizes layouts to a parameter budget: for every kind, the largest rank whose whole network (output layer
/// included) stays within the budget's share of the dense baseline's parameters.
/// </summary>
internal sealed class BudgetPlanner
{
    /// <summary>Displacement ranks a hybrid's Toeplitz-like layers are searched over (the shared rank fills the rest of the budget).</summary>
    public static readonly int[] HybridDisplacementRanks = [1, 2, 4];

    private readonly int _inputSize;
    private readonly int _classes;

    public BudgetPlanner(int layers, LstmLayerOptions defaults, int inputSize, int classes)
    {
        Layers = layers;
        Defaults = defaults;
        _inputSize = inputSize;
        _classes = classes;
        DenseParameters = Count(DenseSpec);
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

    public LstmNetworkOptions Options(string spec) => new()
    {
        InputSize = _inputSize,
        Layers = NetworkSpec.Parse(spec, Defaults),
        OutputSize = _classes,
    };

    public long Count(string spec) => new LstmNetwork(Options(spec)).ParameterCount;

    /// <summary>The one-kind layout of <paramref name="kind"/> (lowrank, shared-lowrank or toeplitz) within the budget, or null if even rank 1 exceeds it.</summary>
    public LayoutCandidate? Uniform(string kind, double share)
    {
        long target = Target(share);
        if (kind == "toeplitz")
        {
            int r = Largest(r => Invariant($"toeplitz:r={r} x{Layers}"), Defaults.HiddenSize, target);
            return r == 0 ? null : new LayoutCandidate(kind, Invariant($"toeplitz:r={r} x{Layers}"), 0, r, Layers);
        }

        int k = Largest(k => Invariant($"{kind}:k={k} x{Layers}"), kind == "lowrank" ? 4 * Defaults.HiddenSize : Defaults.HiddenSize, target);
        return k == 0 ? null : new LayoutCandidate(kind, Invariant($"{kind}:k={k} x{Layers}"), k, 0, 0);
    }

    /// <summary>
    /// The hybrid layouts within the budget: every split into Toeplitz-like bottom layers and shared low-rank top
    /// layers (at least one of each when there are two or more layers), every displacement rank of
    /// <see cref="HybridDisplacementRanks"/>, and for each the largest shared rank that fits.
    /// </summary>
    public IReadOnlyList<LayoutCandidate> Hybrids(double share)
    {
        long target = Target(share);
        var candidates = new List<LayoutCandidate>();
        for (int t = 1; t <= Math.Max(1, Layers - 1); t++)
        {
            foreach (int r in HybridDisplacementRanks)
            {
                int k = Largest(k => LayoutCandidate.HybridSpec(Layers, t, r, k), Defaults.HiddenSize, target);
                if (k > 0)
                {
                    candidates.Add(new LayoutCandidate("hybrid", LayoutCandidate.HybridSpec(Layers, t, r, k), k, r, t));
                }
            }
        }

        return candidates;
    }

    // The largest rank in [1, maxRank] whose count is within the target (counts grow with the rank); 0 if none.
    private int Largest(Func<int, string> spec, int maxRank, long target)
    {
        int best = 0;
        for (int rank = 1; rank <= maxRank && Count(spec(rank)) <= target; rank++)
        {
            best = rank;
        }

        return best;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
