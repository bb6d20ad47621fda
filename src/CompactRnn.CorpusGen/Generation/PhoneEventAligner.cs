using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.CorpusGen.Espeak;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// Turns espeak-ng phoneme events into time segments (shifted by the silence padded in front) and per-word pronunciations. Pause mnemonics
/// (starting with '_') become silence. A phoneme belongs to the word whose first character is at the
/// event's text position (espeak-ng reports the word's position on each of its phonemes); otherwise to the
/// last word starting before that position.
/// </summary>
internal static class PhoneEventAligner
{
    public static (List<(string Phone, double StartSeconds)> Segments, List<string[]> Pronunciations) Align(
        IReadOnlyList<PhonemeEvent> events, int sampleRate, IReadOnlyList<string> words, double offsetSeconds)
    {
        var wordStarts = new int[words.Count];
        int position = 1;
        for (int w = 0; w < words.Count; w++)
        {
            wordStarts[w] = position;
            position += words[w].Length + 1;
        }

        var segments = new List<(string, double)>();
        var perWord = words.Select(_ => new List<string>()).ToArray();
        foreach (PhonemeEvent e in events)
        {
            double start = offsetSeconds + ((double)e.Sample / sampleRate);
            if (e.Mnemonic.Length == 0 || e.Mnemonic[0] == '_')
            {
                segments.Add((SpeechDataset.SilencePhone, start));
                continue;
            }

            segments.Add((e.Mnemonic, start));
            int index = Array.IndexOf(wordStarts, e.TextPosition);
            if (index < 0)
            {
                index = Math.Max(0, Array.FindLastIndex(wordStarts, s => s <= e.TextPosition));
            }

            perWord[index].Add(e.Mnemonic);
        }

        // Events arrive in time order; a stable sort guards against equal or out-of-order samples.
        List<(string, double)> ordered = [.. segments.OrderBy(s => s.Item2)];
        return (ordered, [.. perWord.Select(p => p.ToArray())]);
    }
}
