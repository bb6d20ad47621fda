using System;
using System.Globalization;

namespace CompactRnn.Cli.Experiments;

/// <summary>One decoded utterance of a scored set: who spoke it, how many reference words, how many word errors.</summary>
/// <param name="Set">The scored set (<c>test</c>, <c>dev</c>, or an extra v2 set such as <c>unseen-accent</c>).</param>
/// <param name="Id">Utterance id (pairs two models' scores of the same utterance).</param>
/// <param name="Speaker">The voice, <c>accent+variant</c>: the bootstrap resamples voices, the per-accent table groups by accent.</param>
/// <param name="Words">Reference words.</param>
/// <param name="Errors">Substitutions + deletions + insertions.</param>
internal sealed record UtteranceScore(string Set, string Id, string Speaker, int Words, int Errors)
{
    public const string Header = "set,id,speaker,words,errors";

    /// <summary>The accent part of <see cref="Speaker"/> (before the first '+').</summary>
    public string Accent => Speaker.Split('+')[0];

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture, $"{Set},{Id},{Speaker},{Words},{Errors}");

    public static UtteranceScore Parse(string line)
    {
        string[] f = line.Split(',');
        if (f.Length != 5)
        {
            throw new FormatException($"Utterance score line has {f.Length} fields, expected 5: '{line}'.");
        }

        return new UtteranceScore(f[0], f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture));
    }
}
