using System.Collections.Generic;
using System.Globalization;

namespace CompactRnn.Cli.Experiments;

/// <summary>The models of a preset's comparison, in the order of their stages.</summary>
internal static class SweepPlan
{
    /// <summary>
    /// Dense for every seed; the hybrid from scratch and compressed at every budget (compressed for every seed at the
    /// primary budget); the other kinds at the primary budget; and <c>dense-long</c> for each of the preset's
    /// <see cref="ExperimentPreset.DenseLongSeeds"/>, the dense model of that seed trained on for exactly as many epochs as
    /// the primary compressed hybrid of that seed was fine-tuned, so both have seen the same updates.
    /// </summary>
    public static IReadOnlyList<ModelPlan> Build(ExperimentPreset preset, BudgetPlanner planner)
    {
        var plans = new List<ModelPlan>();
        for (int seed = 1; seed <= preset.Seeds; seed++)
        {
            plans.Add(new ModelPlan(Seeded("dense", seed), PlanKind.Dense, 1, seed, 1, null, null));
        }

        double primary = preset.Budgets[0];
        foreach (LayoutKind kind in preset.ScratchKinds)
        {
            if (planner.Uniform(kind, primary) is { } layout)
            {
                plans.Add(new ModelPlan($"{Short(kind)}-{Percent(primary)}", PlanKind.Scratch(kind), 1, 1, primary, layout, null));
            }
        }

        foreach (double budget in preset.Budgets)
        {
            plans.Add(new ModelPlan($"hybrid-{Percent(budget)}", PlanKind.Scratch(LayoutKind.Hybrid), 2, 1, budget, null, null));
            int seeds = budget == primary ? preset.Seeds : 1;
            for (int seed = 1; seed <= seeds; seed++)
            {
                plans.Add(new ModelPlan(Seeded($"hybrid-svd-{Percent(budget)}", seed), PlanKind.Compressed(LayoutKind.Hybrid), 2, seed, budget, null, Seeded("dense", seed)));
            }
        }

        foreach (LayoutKind kind in preset.CompressedKinds)
        {
            if (planner.Uniform(kind, primary) is { } layout)
            {
                plans.Add(new ModelPlan($"{Short(kind)}-svd-{Percent(primary)}", PlanKind.Compressed(kind), 2, 1, primary, layout, "dense"));
            }
        }

        for (int seed = 1; seed <= System.Math.Min(preset.DenseLongSeeds, preset.Seeds); seed++)
        {
            plans.Add(new ModelPlan(Seeded("dense-long", seed), PlanKind.DenseLong, 3, seed, 1, null, Seeded("dense", seed), Seeded($"hybrid-svd-{Percent(primary)}", seed)));
        }

        return plans;
    }

    /// <summary>The row name of a seed: the name itself for seed 1, <c>name-sN</c> otherwise.</summary>
    public static string Seeded(string name, int seed) => seed == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}-s{seed}");

    /// <summary>A budget as it appears in row names: 0.25 → <c>25</c>, 0.125 → <c>12.5</c>.</summary>
    public static string Percent(double budget) => (budget * 100).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The kind as it starts row names: <c>shared</c> for shared low-rank, otherwise its name.</summary>
    private static string Short(LayoutKind kind) => kind == LayoutKind.SharedLowRank ? "shared" : kind.Name();
}
