using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CompactRnn.Cli.Experiments;

/// <summary>rate.csv of a results folder: the fine-tuning rate scales tried on dev and the dev loss each reached.</summary>
internal static class RateFile
{
    /// <summary>One tried scale.</summary>
    public sealed record Entry(float Scale, double DevLossBefore, double DevLossAfter);

    private const string Header = "scale,dev_loss_before,dev_loss_after";

    private static string Path(string directory) => System.IO.Path.Combine(directory, "rate.csv");

    public static void Write(string directory, IEnumerable<Entry> entries)
        => ResultsStore.WriteAtomically(Path(directory), Header + "\n" + string.Concat(entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Scale},{e.DevLossBefore:F5},{e.DevLossAfter:F5}\n"))));

    public static IReadOnlyList<Entry> Read(string directory)
    {
        string path = Path(directory);
        if (!File.Exists(path))
        {
            return [];
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        return File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            string[] f = l.Split(',');
            return f.Length == 3 ? new Entry(float.Parse(f[0], c), double.Parse(f[1], c), double.Parse(f[2], c)) : throw new FormatException($"Cannot read rate.csv line '{l}'.");
        }).ToList();
    }
}
