using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>The tallies of one fuzz run and whether they meet issue #13's targets.</summary>
internal sealed record FuzzReport(int Seed, IReadOnlyList<FuzzTally> Tallies)
{
    /// <summary>No undocumented outcome, no silent alteration, no read over the allocation or time bound.</summary>
    public bool MeetsTargets => Tallies.All(t => t.DefectCount == 0 && t.MaxExtraAllocation <= FuzzRun.MaxExtraAllocation && t.MaxLoadTime <= FuzzRun.MaxLoadTime);

    public string Markdown(string command, TimeSpan elapsed)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Fuzz run (issue #13)").AppendLine();
        text.AppendLine(c, $"Command: `{command}` (seed {Seed}; the model, dataset and importer targets use seeds {Seed}, {Seed + 1}, {Seed + 2}). Wall clock {elapsed.TotalSeconds:F0} s.").AppendLine();
        text.AppendLine("Allocation is the reading thread's (`GC.GetAllocatedBytesForCurrentThread`) during the read, minus the file's length; time is the read's wall clock for files under 10 MB. A loaded model is then used (one streaming step, a 3×2 batch `Infer`), a loaded dataset's normalised features are checked finite, an imported network runs one step: a failure there counts as `FailedAfterLoad`.").AppendLine();
        foreach (FuzzTally tally in Tallies)
        {
            text.AppendLine(c, $"## {tally.Target}: {tally.Cases:N0} cases").AppendLine();
            text.Append(tally.Table()).AppendLine();
            text.AppendLine(c, $"- documented outcomes: {string.Join(", ", tally.Documented)}; outside them: **{tally.DefectCount}**");
            text.AppendLine(c, $"- silently altered contents (a byte-damaged file loaded as something else; formats with a checksum only): **{tally.SilentlyAltered}**");
            text.AppendLine(c, $"- max allocation beyond the file's length: {tally.MaxExtraAllocation / 1048576.0:F2} MiB ({tally.MaxExtraAllocationCase}); bound 64 MiB");
            text.AppendLine(c, $"- max read time, files < 10 MB: {tally.MaxLoadTime.TotalMilliseconds:F1} ms ({tally.MaxLoadTimeCase}); bound 1000 ms");
            foreach (string defect in tally.Defects)
            {
                text.AppendLine(c, $"- defect: {defect}");
            }

            text.AppendLine();
        }

        text.AppendLine(c, $"Targets met: **{(MeetsTargets ? "yes" : "no")}**.");
        return text.ToString();
    }
}
