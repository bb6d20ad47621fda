using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.Compression;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// search.csv of a results folder: every hybrid layout candidate scored on dev, per budget, best first. The first
/// line of a budget is the chosen layout; a rerun reads it instead of searching again. The last column, <c>fit</c>, is
/// how the candidate's Toeplitz-like layers were fitted (<c>activations</c>, <c>svd</c> or <c>exact</c>; empty for
/// layouts without them); the rows compressed into the chosen layout use the same method. Files written before the
/// column existed have no <c>fit</c>: their Toeplitz-like layers were fitted by displacement SVD.
/// </summary>
internal static class SearchFile
{
    private const string Header = "budget,rank,label,kind,displacement_rank,shared_rank,toeplitz_layers,params,dev_loss_before,dev_loss_after,spec,fit";

    public static string Path(string directory) => System.IO.Path.Combine(directory, "search.csv");

    public static void Append(string directory, double budget, IReadOnlyList<LayoutSearch.Result> ranked)
    {
        string path = Path(directory);
        // A file from before the fit column gets the new header; its rows, without the column, still read as displacement SVD.
        string existing = File.Exists(path) ? Header + "\n" + string.Concat(File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l + "\n")) : Header + "\n";
        CultureInfo c = CultureInfo.InvariantCulture;
        string lines = string.Concat(ranked.Select((r, i) => string.Create(c,
            $"{budget:F4},{i + 1},{r.Candidate.Label},{r.Candidate.Kind.Name()},{r.Candidate.DisplacementRank},{r.Candidate.Rank},{r.Candidate.ToeplitzLayers},{r.Params},{r.DevLossBefore:F5},{r.DevLossAfter:F5},\"{r.Candidate.Spec}\",{(r.Fit is { } fit ? LayoutFit.Format(fit) : string.Empty)}\n")));
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
            int closing = line.LastIndexOf('"');
            string[] f = quote < 0 ? [] : line[..quote].TrimEnd(',').Split(',');
            string tail = closing > quote ? line[(closing + 1)..] : "?";
            if (f.Length != 10 || !(tail.Length == 0 || tail.StartsWith(',')))
            {
                throw new FormatException($"Cannot read search row '{line}'.");
            }

            var candidate = new LayoutCandidate(LayoutKindText.Parse(f[3]), line[(quote + 1)..closing], int.Parse(f[5], c), int.Parse(f[4], c), int.Parse(f[6], c));
            ToeplitzFit? fit = !candidate.HasToeplitzLayers ? null : tail.Length > 1 ? LayoutFit.Parse(tail[1..]) : ToeplitzFit.DisplacementSvd; // no column: written before it, by the displacement-SVD search
            if (planner.Count(candidate.Spec) != long.Parse(f[7], c))
            {
                throw new FormatException($"search.csv row '{line}' does not match this preset's sizes; delete the file to search again.");
            }

            return (double.Parse(f[0], c), int.Parse(f[1], c), new LayoutSearch.Result(candidate, long.Parse(f[7], c), double.Parse(f[8], c), double.Parse(f[9], c), fit));
        }
    }
}
