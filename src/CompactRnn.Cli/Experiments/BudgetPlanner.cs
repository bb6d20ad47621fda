using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Chooses, for every compact kind and budget, the rank whose model comes closest to the budget's share of
/// the dense baseline's parameters (counted over the whole network, output layer included).
/// </summary>
internal sealed class BudgetPlanner
{
    private readonly ExperimentPreset _preset;
    private readonly int _inputSize;
    private readonly int _classes;

    public BudgetPlanner(ExperimentPreset preset, int inputSize, int classes)
    {
        _preset = preset;
        _inputSize = inputSize;
        _classes = classes;
        DenseParameters = Count(DenseSpec);
    }

    public string DenseSpec => Invariant($"dense x{_preset.Layers}");

    public long DenseParameters { get; }

    /// <summary>The layer defaults every spec of the preset starts from.</summary>
    public LstmLayerOptions Defaults => new() { HiddenSize = _preset.HiddenSize, ProjectionSize = _preset.ProjectionSize, Peepholes = true, CellClip = 50f };

    public LstmNetworkOptions Options(string spec) => new()
    {
        InputSize = _inputSize,
        Layers = NetworkSpec.Parse(spec, Defaults),
        OutputSize = _classes,
    };

    public long Count(string spec) => new LstmNetwork(Options(spec)).ParameterCount;

    /// <summary>The dense baseline, then every kind at every budget; SVD kinds reuse the trained kinds' ranks.</summary>
    public IReadOnlyList<ModelPlan> Plan()
    {
        int layers = _preset.Layers, bottom = Math.Max(1, (layers + 1) / 2), top = layers - bottom;
        var plans = new List<ModelPlan> { new("dense", "dense", DenseSpec, 1) };
        foreach (double budget in _preset.Budgets)
        {
            long target = (long)Math.Round(budget * DenseParameters);
            string percent = Invariant($"{budget * 100:0.#}");
            int lowRank = Best(k => Invariant($"lowrank:k={k} x{layers}"), 4 * _preset.HiddenSize, target);
            int shared = Best(k => Invariant($"shared-lowrank:k={k} x{layers}"), _preset.HiddenSize, target);
            int toeplitz = Best(r => Invariant($"toeplitz:r={r} x{layers}"), 64, target);
            var (hybrid, displacementRank, sharedRank) = BestHybrid(bottom, top, target);
            plans.Add(new ModelPlan($"lowrank-{percent}", "lowrank", Invariant($"lowrank:k={lowRank} x{layers}"), budget));
            plans.Add(new ModelPlan($"shared-{percent}", "shared-lowrank", Invariant($"shared-lowrank:k={shared} x{layers}"), budget));
            plans.Add(new ModelPlan($"toeplitz-{percent}", "toeplitz", Invariant($"toeplitz:r={toeplitz} x{layers}"), budget));
            plans.Add(new ModelPlan($"hybrid-{percent}", "hybrid", hybrid, budget));
            plans.Add(new ModelPlan($"lowrank-svd-{percent}", "lowrank-svd", Invariant($"lowrank:k={lowRank} x{layers}"), budget, lowRank));
            plans.Add(new ModelPlan($"shared-svd-{percent}", "shared-lowrank-svd", Invariant($"shared-lowrank:k={shared} x{layers}"), budget, shared));
            plans.Add(new ModelPlan($"hybrid-svd-{percent}", "hybrid-svd", hybrid, budget, sharedRank, displacementRank));
        }

        return plans;
    }

    // The paper's hybrid: Toeplitz-like bottom layers, shared low-rank top layers. The last Toeplitz-like layer
    // projects to the same k, so the top layers' input matrices read a k-value shared projection too. Displacement
    // rank and shared rank are searched together; ties go to the larger displacement rank.
    private (string Spec, int DisplacementRank, int SharedRank) BestHybrid(int bottom, int top, long target)
    {
        (string Spec, int DisplacementRank, int SharedRank) best = (string.Empty, 0, 0);
        long bestGap = long.MaxValue;
        foreach (int r in new[] { 1, 2, 4, 8, 16 })
        {
            for (int k = 1; k <= _preset.HiddenSize; k++)
            {
                string spec = top == 0 ? Invariant($"toeplitz:r={r},p={k} x{bottom}")
                    : bottom == 1 ? Invariant($"toeplitz:r={r},p={k} x1 | shared-lowrank:k={k} x{top}")
                    : Invariant($"toeplitz:r={r} x{bottom - 1} | toeplitz:r={r},p={k} x1 | shared-lowrank:k={k} x{top}");
                long gap = Math.Abs(Count(spec) - target);
                if (gap <= bestGap)
                {
                    (best, bestGap) = ((spec, r, k), gap);
                }
            }
        }

        return best;
    }

    private int Best(Func<int, string> spec, int maxRank, long target)
    {
        int best = 1;
        long bestGap = long.MaxValue;
        for (int rank = 1; rank <= maxRank; rank++)
        {
            long count = Count(spec(rank));
            long gap = Math.Abs(count - target);
            if (gap < bestGap)
            {
                (best, bestGap) = (rank, gap);
            }

            if (count > target)
            {
                break; // counts grow with the rank
            }
        }

        return best;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
