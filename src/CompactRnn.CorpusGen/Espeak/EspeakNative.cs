using System;
using System.Runtime.InteropServices;

namespace CompactRnn.CorpusGen.Espeak;

/// <summary>
/// P/Invoke declarations for the libespeak-ng C API (speak_lib.h), resolved at run time from the system's
/// <c>libespeak-ng.so.1</c>; nothing of espeak-ng is compiled in or redistributed.
/// </summary>
internal static partial class EspeakNative
{
    public const string Library = "libespeak-ng.so.1";

    /// <summary>AUDIO_OUTPUT_SYNCHRONOUS: samples are delivered to the callback during espeak_Synth.</summary>
    public const int AudioOutputSynchronous = 2;

    /// <summary>espeakINITIALIZE_PHONEME_EVENTS: emit an event per phoneme.</summary>
    public const int InitializePhonemeEvents = 0x0001;

    public const int ParameterRate = 1;
    public const int ParameterPitch = 3;
    public const int PositionCharacter = 1;
    public const uint CharsUtf8 = 1;

    /// <summary>Size of espeak_EVENT on 64-bit: type, unique id, text position, length, audio position (ms), sample, user data, id union.</summary>
    public const int EventSize = 40;
    public const int EventTypeOffset = 0;
    public const int EventTextPositionOffset = 8;
    public const int EventSampleOffset = 20;
    public const int EventIdOffset = 32;
    public const int EventTypeListTerminated = 0;
    public const int EventTypePhoneme = 7;

    /// <summary>int t_espeak_callback(short* wav, int numsamples, espeak_EVENT* events); return 0 to continue.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int SynthCallback(IntPtr wav, int sampleCount, IntPtr events);

    [LibraryImport(Library, EntryPoint = "espeak_Initialize")]
    public static partial int Initialize(int output, int bufferLength, IntPtr path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(IntPtr callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName")]
    public static partial int SetVoiceByName([In] byte[] name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    public static partial int Synth([In] byte[] text, nuint size, uint position, int positionType, uint endPosition, uint flags, IntPtr uniqueIdentifier, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "espeak_Synchronize")]
    public static partial int Synchronize();

    /// <summary>
    /// C library srand: espeak-ng's Klatt voices draw aspiration noise from rand(), whose state is
    /// process-global; reseeding before each utterance makes its audio independent of earlier calls.
    /// </summary>
    [LibraryImport("libc.so.6", EntryPoint = "srand")]
    public static partial void SeedCRandom(uint seed);
}
