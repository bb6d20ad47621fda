using System;
using System.Collections.Generic;
using CompactRnn.Speech.Features;

namespace CompactRnn.Speech.Data;

/// <summary>
/// Turns phone start times into one label per 10 ms frame: frame t (centre c_t = (160·t + 200)/16000 s)
/// gets the segment i with s_i ≤ c_t &lt; s_{i+1}; frames before the first segment are silence; the last
/// segment runs to the end. Every non-silence segment is then given at least S frames (boundaries are
/// pushed forward, then back from the end) so that the phone-state sequence survives labelling exactly —
/// the lexicon and the oracle decoding test depend on that. Frame j of a phone p lasting d frames gets class
/// 1 + (p − 1)·S + ⌊j·S/d⌋ (silence stays class 0).
/// </summary>
public static class FrameLabeler
{
    /// <summary>Labels <paramref name="frameCount"/> frames from time-ordered <paramref name="segments"/> (phone 0 is silence).</summary>
    /// <exception cref="ArgumentException">Segments are out of order or there are too few frames for the phones.</exception>
    public static int[] Label(IReadOnlyList<PhoneSegment> segments, int frameCount, int statesPerPhone)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(statesPerPhone, 1);
        const int silenceClass = 0;
        int n = segments.Count;
        var boundary = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && segments[i].StartSeconds < segments[i - 1].StartSeconds)
            {
                throw new ArgumentException($"Segment {i} starts at {segments[i].StartSeconds} s, before segment {i - 1}.", nameof(segments));
            }

            double frames = ((segments[i].StartSeconds * LogMelExtractor.SampleRate) - (LogMelExtractor.FrameLength / 2.0)) / LogMelExtractor.FrameShift;
            boundary[i] = (int)Math.Clamp(Math.Ceiling(frames), 0, frameCount);
        }

        boundary[n] = frameCount;
        for (int i = 0; i < n; i++)
        {
            int minimum = segments[i].Phone == silenceClass ? 0 : statesPerPhone;
            boundary[i + 1] = Math.Max(boundary[i + 1], boundary[i] + minimum);
        }

        if (boundary[n] > frameCount)
        {
            boundary[n] = frameCount;
            for (int i = n - 1; i >= 0; i--)
            {
                int minimum = segments[i].Phone == silenceClass ? 0 : statesPerPhone;
                boundary[i] = Math.Min(boundary[i], boundary[i + 1] - minimum);
            }

            if (boundary[0] < 0)
            {
                throw new ArgumentException($"{frameCount} frames cannot hold the {n} segments.", nameof(frameCount));
            }
        }

        var labels = new int[frameCount];
        Array.Fill(labels, silenceClass, 0, n > 0 ? boundary[0] : frameCount);
        for (int i = 0; i < n; i++)
        {
            int phone = segments[i].Phone;
            int duration = boundary[i + 1] - boundary[i];
            for (int j = 0; j < duration; j++)
            {
                labels[boundary[i] + j] = SpeechDataset.FrameClass(phone, phone == silenceClass ? 0 : j * statesPerPhone / duration, statesPerPhone);
            }
        }

        return labels;
    }
}
