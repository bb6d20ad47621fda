using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>Counts of one fuzz target: outcomes per kind of case, the worst allocation and load time, and the defects seen.</summary>
internal sealed class FuzzTally(string target, IReadOnlyList<FuzzOutcome> documented)
{
    /// <summary>Files under this size must load (or fail) within <see cref="FuzzRun.MaxLoadTime"/>.</summary>
    public const long TimedFileLimit = 10L << 20;

    private readonly Dictionary<(string Kind, FuzzOutcome Outcome), int> _counts = [];

    /// <summary>The target's name: models, datasets or importer.</summary>
    public string Target { get; } = target;

    /// <summary>Outcomes the target's documentation allows.</summary>
    public IReadOnlyList<FuzzOutcome> Documented { get; } = documented;

    /// <summary>Cases run.</summary>
    public int Cases { get; private set; }

    /// <summary>The largest allocation of one read beyond the file's own length, bytes.</summary>
    public long MaxExtraAllocation { get; private set; }

    /// <summary>The case of <see cref="MaxExtraAllocation"/>.</summary>
    public string MaxExtraAllocationCase { get; private set; } = "";

    /// <summary>The longest read of a file under <see cref="TimedFileLimit"/>.</summary>
    public TimeSpan MaxLoadTime { get; private set; }

    /// <summary>The case of <see cref="MaxLoadTime"/>.</summary>
    public string MaxLoadTimeCase { get; private set; } = "";

    /// <summary>Loads of byte-corrupted files (no checksum repair) whose contents differ from the original.</summary>
    public int SilentlyAltered { get; private set; }

    /// <summary>Outcomes outside <see cref="Documented"/>, one line each (the first 50).</summary>
    public List<string> Defects { get; } = [];

    /// <summary>Cases whose outcome is outside <see cref="Documented"/>.</summary>
    public int DefectCount { get; private set; }

    /// <summary>Records one case.</summary>
    public void Add(string kind, FuzzOutcome outcome, long fileLength, long allocated, TimeSpan elapsed, string detail)
    {
        Cases++;
        _counts[(kind, outcome)] = _counts.GetValueOrDefault((kind, outcome)) + 1;
        long extra = allocated - fileLength;
        if (extra > MaxExtraAllocation)
        {
            MaxExtraAllocation = extra;
            MaxExtraAllocationCase = $"{kind}, {outcome}, {fileLength:N0}-byte file";
        }

        if (fileLength < TimedFileLimit && elapsed > MaxLoadTime)
        {
            MaxLoadTime = elapsed;
            MaxLoadTimeCase = $"{kind}, {outcome}, {fileLength:N0}-byte file";
        }

        if (!Documented.Contains(outcome))
        {
            DefectCount++;
            if (Defects.Count < 50)
            {
                Defects.Add($"{kind}: {outcome}: {detail}");
            }
        }
    }

    /// <summary>Records a load of corrupted bytes that gave different contents.</summary>
    public void AddSilentAlteration(string kind, string detail)
    {
        SilentlyAltered++;
        DefectCount++;
        if (Defects.Count < 50)
        {
            Defects.Add($"{kind}: silently altered: {detail}");
        }
    }

    /// <summary>A Markdown table of the counts by kind of case and outcome.</summary>
    public string Table()
    {
        FuzzOutcome[] outcomes = Enum.GetValues<FuzzOutcome>();
        var text = new StringBuilder();
        text.Append("| case kind | ").AppendJoin(" | ", outcomes).AppendLine(" | total |");
        text.Append("|---|").AppendJoin("", outcomes.Select(_ => "---:|")).AppendLine("---:|");
        foreach (string kind in _counts.Keys.Select(k => k.Kind).Distinct().Order(StringComparer.Ordinal))
        {
            int[] row = [.. outcomes.Select(o => _counts.GetValueOrDefault((kind, o)))];
            text.Append(CultureInfo.InvariantCulture, $"| {kind} | ").AppendJoin(" | ", row).AppendLine(CultureInfo.InvariantCulture, $" | {row.Sum()} |");
        }

        int[] totals = [.. outcomes.Select(o => _counts.Where(p => p.Key.Outcome == o).Sum(p => p.Value))];
        text.Append("| **all** | ").AppendJoin(" | ", totals).AppendLine(CultureInfo.InvariantCulture, $" | {Cases} |");
        return text.ToString();
    }
}
