using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CompactRnn.Speech.Scoring;

/// <summary>
/// Per-utterance results as a tab-separated table (what <c>eval --hyp out.tsv</c> writes), one header line
/// then one line per utterance:
/// <c>id  set  speaker  accent  substitutions  deletions  insertions  words  reference  hypothesis</c>
/// (reference and hypothesis are space-separated words). <see cref="Read"/> recomputes the alignment and
/// rejects a line whose counts disagree, so two saved tables can be compared with
/// <see cref="BlockBootstrap.Paired"/> later.
/// </summary>
public static class HypothesisTable
{
    /// <summary>The header line.</summary>
    public const string Header = "id\tset\tspeaker\taccent\tsubstitutions\tdeletions\tinsertions\twords\treference\thypothesis";

    private const int ColumnCount = 10;

    /// <summary>Writes <paramref name="utterances"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<ScoredUtterance> utterances)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(utterances);
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            writer.WriteLine(Header);
            foreach (ScoredUtterance u in utterances)
            {
                foreach (string field in new[] { u.Id, u.Set, u.Speaker, u.Accent })
                {
                    if (field.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
                    {
                        throw new ArgumentException($"Utterance '{u.Id}': field '{field}' contains a tab or line break.", nameof(utterances));
                    }
                }

                writer.WriteLine(string.Join('\t',
                    u.Id, u.Set, u.Speaker, u.Accent,
                    u.Errors.Substitutions.ToString(CultureInfo.InvariantCulture),
                    u.Errors.Deletions.ToString(CultureInfo.InvariantCulture),
                    u.Errors.Insertions.ToString(CultureInfo.InvariantCulture),
                    u.Errors.ReferenceLength.ToString(CultureInfo.InvariantCulture),
                    string.Join(' ', u.Reference),
                    string.Join(' ', u.Hypothesis)));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a table written by <see cref="Write"/>; errors name the line.</summary>
    public static List<ScoredUtterance> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = new List<ScoredUtterance>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (line != Header)
                {
                    throw new InvalidDataException($"{path}:1: expected the header '{Header}'.");
                }

                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length != ColumnCount)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected {ColumnCount} tab-separated fields, found {fields.Length}.");
            }

            string[] reference = fields[8].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] hypothesis = fields[9].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ScoredUtterance scored;
            try
            {
                scored = new ScoredUtterance(fields[0], fields[1], fields[2], fields[3], reference, hypothesis);
            }
            catch (ArgumentException error)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {error.Message}", error);
            }

            int[] stored = new int[4];
            for (int k = 0; k < 4; k++)
            {
                if (!int.TryParse(fields[4 + k], NumberStyles.None, CultureInfo.InvariantCulture, out stored[k]))
                {
                    throw new InvalidDataException($"{path}:{lineNumber}: field {5 + k} '{fields[4 + k]}' is not a non-negative integer.");
                }
            }

            var e = scored.Errors;
            if (stored[0] != e.Substitutions || stored[1] != e.Deletions || stored[2] != e.Insertions || stored[3] != e.ReferenceLength)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: stored counts S {stored[0]} D {stored[1]} I {stored[2]} N {stored[3]} disagree with the alignment of reference and hypothesis (S {e.Substitutions} D {e.Deletions} I {e.Insertions} N {e.ReferenceLength}).");
            }

            result.Add(scored);
        }

        if (lineNumber == 0)
        {
            throw new InvalidDataException($"{path}: empty file (no header).");
        }

        return result;
    }
}
