using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// search.csv of a results folder: every hybrid layout candidate scored on dev, per budget, best first. The first
/// line of a budget is the chosen layout; a rerun reads it instead of searching again.
/// </summary>
internal static class SearchFile
{
    private const string Header = "budget,rank,label,kind,displacement_rank,shared_rank,toeplitz_layers,params,dev_loss_before,dev_loss_after,spec";

    public static string Path(string directory) => System.IO.Path.Combine(directory, "search.csv");

    public static void Append(string directory, double budget, IReadOnlyList<LayoutSearch.Result> ranked)
    {
        string path = Path(directory);
        string existing = File.Exists(path) ? File.ReadAllText(path) : Header + "\n";
        CultureInfo c = CultureInfo.InvariantCulture;
        string lines = string.Concat(ranked.Select((r, i) => string.Create(c,
            $"{budget:F4},{i + 1},{r.Candidate.Label},{r.Candidate.Kind.Name()},{r.Candidate.DisplacementRank},{r.Candidate.Rank},{r.Candidate.ToeplitzLayers},{r.Params},{r.DevLossBefore:F5},{r.DevLossAfter:F5},\"{r.Candidate.Spec}\"\n")));
        ResultsStore.WriteAtomically(path, existing + lines);
    }

    public static IReadOnlyDictionary<double, IReadOnlyList<LayoutSearch.Result>> Read(string directory, BudgetPlanner planner)
    {
        string path = Path(directory);
        var result = new Dictionary<double, IReadOnlyList<LayoutSearch.Result>>();
        if (!File.Exists(path))
        {
            return result;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (var group in File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(Parse).GroupBy(p => p.Budget))
        {
            result[group.Key] = group.OrderBy(p => p.Rank).Select(p => p.Result).ToList();
        }

        return result;

        (double Budget, int Rank, LayoutSearch.Result Result) Parse(string line)
        {
            int quote = line.IndexOf('"', StringComparison.Ordinal);
            string[] f = line[..quote].TrimEnd(',').Split(',');
            if (f.Length != 10)
            {
                throw new FormatException($"Cannot read search row '{line}'.");
            }

            var candidate = new LayoutCandidate(LayoutKindText.Parse(f[3]), line[(quote + 1)..^1], int.Parse(f[5], c), int.Parse(f[4], c), int.Parse(f[6], c));
            if (planner.Count(candidate.Spec) != long.Parse(f[7], c))
            {
                throw new FormatException($"search.csv row '{line}' does not match this preset's sizes; delete the file to search again.");
            }

            return (double.Parse(f[0], c), int.Parse(f[1], c), new LayoutSearch.Result(candidate, long.Parse(f[7], c), double.Parse(f[8], c), double.Parse(f[9], c)));
        }
    }
}
