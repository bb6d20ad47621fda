using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CompactRnn.Serialization;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Reads results.csv when a sweep resumes. Writes are atomic, so a damaged file comes from a crash of an older
/// version, a full disk or an edit; it must neither crash the sweep nor stop it until fixed by hand:
/// <list type="bullet">
/// <item>an empty file, or one cut inside its header line, holds no rows: the sweep starts over, with a warning;</item>
/// <item>a first line that is not this version's header (another version's columns, or not a results file) is an
/// <see cref="InvalidDataException"/> with a one-line message naming the file and what to do, since guessing
/// would retrain or misread every model;</item>
/// <item>a row that does not parse (cut off, edited, bad number) is skipped with a warning naming its line, so that
/// model is trained again; the file as found is first kept next to it as <c>results.csv.damaged</c>.</item>
/// </list>
/// </summary>
internal static class ResultsCsvReader
{
    /// <summary>The readable rows of <paramref name="path"/>, in file order.</summary>
    /// <param name="path">An existing results.csv.</param>
    /// <param name="warnings">Where the one-line warnings go.</param>
    /// <exception cref="InvalidDataException">The header is not this version's.</exception>
    public static IReadOnlyList<ResultRow> Read(string path, TextWriter warnings)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || (lines.Length == 1 && ResultRow.Header.StartsWith(lines[0], StringComparison.Ordinal)))
        {
            if (lines.Length > 0 && lines[0].Length > 0 && lines[0] != ResultRow.Header)
            {
                warnings.WriteLine($"warning: '{path}' ends inside its header line and holds no rows; the sweep starts over.");
            }

            return [];
        }

        if (lines[0] != ResultRow.Header)
        {
            throw new InvalidDataException(
                $"'{path}' line 1 is not this version's results header ('{Clip(lines[0])}'; expected '{ResultRow.Header}'): move the file aside to start the sweep over (saved models are retrained) or restore the right file.");
        }

        var rows = new List<ResultRow>();
        var unreadable = new List<int>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                rows.Add(ResultRow.Parse(lines[i]));
            }
            catch (Exception error) when (error is FormatException or OverflowException or ArgumentException)
            {
                unreadable.Add(i + 1);
            }
        }

        if (unreadable.Count > 0)
        {
            string kept = path + ".damaged";
            DurableFile.WriteAllBytes(kept, File.ReadAllBytes(path)); // the next results write replaces the original
            warnings.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: '{path}': {unreadable.Count} unreadable row(s) skipped (line {string.Join(", ", unreadable)}), so those models are trained again; the file as found is kept as '{kept}'."));
        }

        return rows;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
