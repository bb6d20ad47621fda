using System;
using System.Collections.Generic;

namespace CompactRnn.CorpusGen.Cmu;

/// <summary>
/// Maps the CMU/radio phones spoken by festival and flite onto the corpus's shared inventory, which uses
/// espeak-ng mnemonics (docs/speech-benchmark.md, "Label inventory"), so one phone-state class means the
/// same sound whichever engine produced it. Pauses map to "_" (silence). Only phones of the digit words
/// (and a few neighbours) are listed; anything else is an error rather than a silent new class.
/// </summary>
internal static class CmuPhoneMap
{
    private static readonly Dictionary<string, string> Map = new(StringComparer.Ordinal)
    {
        ["pau"] = "_", ["h#"] = "_", ["sil"] = "_",
        ["z"] = "z", ["iy"] = "i:", ["ih"] = "I", ["r"] = "r", ["ow"] = "oU", ["w"] = "w", ["ah"] = "V", ["ax"] = "@",
        ["n"] = "n", ["t"] = "t", ["uw"] = "u:", ["th"] = "T", ["f"] = "f", ["ao"] = "o@", ["ay"] = "aI", ["v"] = "v",
        ["s"] = "s", ["k"] = "k", ["eh"] = "E", ["ey"] = "eI", ["aa"] = "0",
    };

    /// <summary>The shared mnemonic of CMU phone <paramref name="phone"/>.</summary>
    /// <exception cref="InvalidOperationException">The phone has no mapping.</exception>
    public static string ToShared(string phone, string voice) =>
        Map.TryGetValue(phone, out string? shared) ? shared
            : throw new InvalidOperationException($"Voice '{voice}' produced phone '{phone}', which has no mapping onto the shared inventory.");
}
