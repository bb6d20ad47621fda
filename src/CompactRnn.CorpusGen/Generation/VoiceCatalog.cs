using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// The voices of each set (docs/speech-benchmark.md, "Sets"). An espeak-ng voice is an English accent plus
/// a voice variant; variants are disjoint across train, dev and test, so no dev or test voice is heard in
/// training:
/// <list type="bullet">
/// <item>train: 6 accents × 30 variants (180 voices) plus 3 festival voices;</item>
/// <item>dev: 12 other variants, each with one training accent (2 per accent);</item>
/// <item>test: 42 other variants, each with one training accent (7 per accent);</item>
/// <item>test-accent: the 42 test variants with the two accents never used in training (21 each);</item>
/// <item>cross-synth: the 5 flite voices (an engine never used in training).</item>
/// </list>
/// </summary>
internal static class VoiceCatalog
{
    /// <summary>Accents of train, dev and test: (speaker-id name, espeak-ng voice name).</summary>
    public static readonly IReadOnlyList<(string Name, string Voice)> TrainAccents =
    [
        ("en-us", "en-us"),
        ("en-gb", "en"),
        ("en-gb-x-rp", "en-gb-x-rp"),
        ("en-gb-scotland", "en-gb-scotland"),
        ("en-gb-x-gbclan", "en-gb-x-gbclan"),
        ("en-us-nyc", "en-us-nyc"),
    ];

    /// <summary>Accents heard only in the test-accent set (Caribbean, West Midlands).</summary>
    public static readonly IReadOnlyList<(string Name, string Voice)> HeldOutAccents =
    [
        ("en-029", "en-029"),
        ("en-gb-x-gbcwmd", "en-gb-x-gbcwmd"),
    ];

    /// <summary>espeak-ng variants of the training voices.</summary>
    public static readonly IReadOnlyList<string> TrainVariants =
    [
        "m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2", "klatt3",
        "adam", "Andy", "aunty", "benjamin", "caleb", "david", "edward", "john", "linda",
        "Alex", "Gene", "iven", "iven2", "max", "norbert", "pablo", "quincy", "sandro", "zac",
    ];

    /// <summary>espeak-ng variants of the dev voices.</summary>
    public static readonly IReadOnlyList<string> DevVariants =
    [
        "m6", "f4", "klatt4", "paul", "steph", "travis", "Alicia", "Hugo", "Lee", "michel", "robert", "iven3",
    ];

    /// <summary>espeak-ng variants of the test and test-accent voices.</summary>
    public static readonly IReadOnlyList<string> TestVariants =
    [
        "m7", "m8", "f5", "klatt5", "klatt6", "rob", "victor", "Annie", "Andrea", "AnxiousAndy", "Denis", "Diogo",
        "Gene2", "Henrique", "Jacky", "Marco", "Mario", "Michael", "Mike", "Nguyen", "RicishayMax", "RicishayMax2",
        "RicishayMax3", "Storm", "Tweaky", "anika", "belinda", "boris", "ed", "edward2", "grandma", "grandpa",
        "gustave", "iven4", "kaukovalta", "marcelo", "miguel", "pedro", "shelby", "steph2", "steph3", "announcer",
    ];

    /// <summary>Festival voices used in training (Debian festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts).</summary>
    public static readonly IReadOnlyList<Voice> FestivalVoices =
    [
        new(SynthesisEngine.Festival, "festival+kal", "kal_diphone"),
        new(SynthesisEngine.Festival, "festival+ked", "ked_diphone"),
        new(SynthesisEngine.Festival, "festival+slt", "cmu_us_slt_arctic_hts"),
    ];

    /// <summary>Flite's built-in voices (Debian flite), only in the cross-synthesiser set.</summary>
    public static readonly IReadOnlyList<Voice> FliteVoices =
    [
        new(SynthesisEngine.Flite, "flite+kal", "kal"),
        new(SynthesisEngine.Flite, "flite+kal16", "kal16"),
        new(SynthesisEngine.Flite, "flite+awb", "awb"),
        new(SynthesisEngine.Flite, "flite+rms", "rms"),
        new(SynthesisEngine.Flite, "flite+slt", "slt"),
    ];

    /// <summary>The espeak-ng voices of a set (see the type summary); festival and flite voices are listed separately.</summary>
    public static IReadOnlyList<Voice> EspeakVoices(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => [.. TrainAccents.SelectMany(a => TrainVariants.Select(v => Espeak(a, v)))],
        DatasetSplit.Dev => [.. DevVariants.Select((v, i) => Espeak(TrainAccents[i % TrainAccents.Count], v))],
        DatasetSplit.Test => [.. TestVariants.Select((v, i) => Espeak(TrainAccents[i % TrainAccents.Count], v))],
        DatasetSplit.TestAccent => [.. TestVariants.Select((v, i) => Espeak(HeldOutAccents[i % HeldOutAccents.Count], v))],
        DatasetSplit.CrossSynth => [],
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    private static Voice Espeak((string Name, string Voice) accent, string variant) =>
        new(SynthesisEngine.Espeak, $"{accent.Name}+{variant}", $"{accent.Voice}+{variant}");
}
