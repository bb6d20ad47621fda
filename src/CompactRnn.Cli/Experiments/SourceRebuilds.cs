using System;
using System.Collections.Generic;
using System.Linq;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Which finished rows must be trained again before a resumed run: those whose model is not in the folder (a clean
/// clone, since models are git-ignored) but that a pending job starts from — a pending row's source, and the seed-1
/// dense model while a layout search or the rate choice is not saved. A rebuilt row is itself pending, so the rule is
/// applied until nothing is added. Each is retrained from its seed, which reproduces it (training is deterministic);
/// <see cref="ExperimentRunner"/> checks that against the recorded row.
/// </summary>
internal static class SourceRebuilds
{
    /// <param name="plans">The preset's models.</param>
    /// <param name="isDone">Whether a row is finished (its row and scores are in the folder).</param>
    /// <param name="hasModel">Whether its trained model is in the folder.</param>
    /// <param name="searchPending">Whether a layout search or the rate choice still has to run (both start from <c>dense</c>).</param>
    public static HashSet<string> Find(IReadOnlyList<ModelPlan> plans, Func<string, bool> isDone, Func<string, bool> hasModel, bool searchPending)
    {
        var rebuild = new HashSet<string>(StringComparer.Ordinal);
        bool Pending(ModelPlan p) => !isDone(p.Name) || rebuild.Contains(p.Name);
        bool grew = true;
        while (grew)
        {
            var needed = plans.Where(Pending).Select(p => p.Source).OfType<string>();
            if (searchPending && plans.Any(Pending))
            {
                needed = needed.Append("dense");
            }

            grew = false;
            foreach (string name in needed.Where(n => isDone(n) && !hasModel(n)).ToList())
            {
                grew |= rebuild.Add(name);
            }
        }

        return rebuild;
    }
}
