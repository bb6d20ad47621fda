using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactRnn.CorpusGen.Espeak;

/// <summary>
/// Process-wide wrapper of libespeak-ng in synchronous mode with phoneme events. espeak-ng keeps global
/// state and is not thread-safe, so all calls are serialised on one lock; the managed callback delegate
/// is held in a static field so the garbage collector cannot free it while native code holds its pointer.
/// espeak-ng's synthesiser also carries state from one utterance to the next (waveform phase, pitch
/// smoothing) and cannot be restarted within a process (espeak_Terminate then espeak_Initialize hangs), so
/// a corpus is reproducible byte for byte when it is the first thing a process synthesises — as in the
/// command-line tool, which generates one corpus per run.
/// </summary>
internal static class EspeakSynthesizer
{
    private static readonly object Gate = new();
    private static readonly EspeakNative.SynthCallback Callback = OnSynth;
    private static readonly List<short> Samples = [];
    private static readonly List<PhonemeEvent> Phonemes = [];
    private static int _sampleRate;

    /// <summary>
    /// Synthesises <paramref name="text"/> with <paramref name="voice"/> (e.g. <c>en-us+f3</c>) at
    /// <paramref name="wordsPerMinute"/> and <paramref name="pitch"/> (0–99); <paramref name="seed"/> reseeds the
    /// C library generator espeak-ng uses for noise so the result does not depend on earlier calls.
    /// </summary>
    /// <exception cref="InvalidOperationException">libespeak-ng is missing, fails to start, or rejects the voice.</exception>
    public static SynthesisResult Synthesize(string text, string voice, int wordsPerMinute, int pitch, uint seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(voice);
        ArgumentOutOfRangeException.ThrowIfLessThan(wordsPerMinute, 80);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wordsPerMinute, 450);
        ArgumentOutOfRangeException.ThrowIfNegative(pitch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pitch, 99);
        lock (Gate)
        {
            EnsureInitialized();
            int status = EspeakNative.SetVoiceByName(NulTerminated(voice));
            if (status != 0)
            {
                throw new InvalidOperationException($"espeak-ng rejected voice '{voice}' (status {status}).");
            }

            if (EspeakNative.SetParameter(EspeakNative.ParameterRate, wordsPerMinute, 0) != 0
                || EspeakNative.SetParameter(EspeakNative.ParameterPitch, pitch, 0) != 0)
            {
                throw new InvalidOperationException($"espeak-ng rejected rate {wordsPerMinute} or pitch {pitch}.");
            }
            Samples.Clear();
            Phonemes.Clear();
            EspeakNative.SeedCRandom(seed);
            byte[] bytes = NulTerminated(text);
            status = EspeakNative.Synth(bytes, (nuint)bytes.Length, 0, EspeakNative.PositionCharacter, 0, EspeakNative.CharsUtf8, IntPtr.Zero, IntPtr.Zero);
            if (status != 0)
            {
                throw new InvalidOperationException($"espeak_Synth failed with status {status}.");
            }

            status = EspeakNative.Synchronize();
            if (status != 0)
            {
                throw new InvalidOperationException($"espeak_Synchronize failed with status {status}.");
            }
            return new SynthesisResult([.. Samples], _sampleRate, [.. Phonemes]);
        }
    }

    private static void EnsureInitialized()
    {
        if (_sampleRate > 0)
        {
            return;
        }

        int rate;
        try
        {
            rate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, 0, IntPtr.Zero, EspeakNative.InitializePhonemeEvents);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"{EspeakNative.Library} was not found; install libespeak-ng1 (Debian/Ubuntu: apt-get install libespeak-ng1).", e);
        }

        if (rate <= 0)
        {
            throw new InvalidOperationException($"espeak_Initialize failed (returned {rate}).");
        }

        EspeakNative.SetSynthCallback(Marshal.GetFunctionPointerForDelegate(Callback));
        _sampleRate = rate;
    }

    private static int OnSynth(IntPtr wav, int sampleCount, IntPtr events)
    {
        if (wav != IntPtr.Zero && sampleCount > 0)
        {
            var chunk = new short[sampleCount];
            Marshal.Copy(wav, chunk, 0, sampleCount);
            Samples.AddRange(chunk);
        }

        if (events != IntPtr.Zero)
        {
            for (int offset = 0; ; offset += EspeakNative.EventSize)
            {
                int type = Marshal.ReadInt32(events, offset + EspeakNative.EventTypeOffset);
                if (type == EspeakNative.EventTypeListTerminated)
                {
                    break;
                }

                if (type == EspeakNative.EventTypePhoneme)
                {
                    Phonemes.Add(new PhonemeEvent(
                        ReadMnemonic(events + offset + EspeakNative.EventIdOffset),
                        Marshal.ReadInt32(events, offset + EspeakNative.EventSampleOffset),
                        Marshal.ReadInt32(events, offset + EspeakNative.EventTextPositionOffset)));
                }
            }
        }

        return 0;
    }

    private static string ReadMnemonic(IntPtr id)
    {
        // The id union holds up to 8 bytes of NUL-terminated mnemonic.
        var bytes = new byte[8];
        Marshal.Copy(id, bytes, 0, bytes.Length);
        int length = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, length < 0 ? bytes.Length : length);
    }

    private static byte[] NulTerminated(string value)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
