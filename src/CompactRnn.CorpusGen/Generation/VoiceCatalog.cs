using System.Collections.Generic;
using CompactRnn.Speech.Data;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>
/// The speakers of each split. A speaker is an English accent plus a voice variant (espeak-ng
/// <c>accent+variant</c>). Variants are disjoint across train, dev and test, so no test speaker is heard in
/// training; dev adds the West Midlands accent and test the Caribbean accent, neither used in training.
/// </summary>
internal static class VoiceCatalog
{
    /// <summary>Accents used in every split: (speaker-id name, espeak-ng voice name).</summary>
    public static readonly IReadOnlyList<(string Name, string Voice)> TrainAccents =
    [
        ("en-us", "en-us"),
        ("en-gb", "en"),
        ("en-gb-x-rp", "en-gb-x-rp"),
        ("en-gb-scotland", "en-gb-scotland"),
        ("en-gb-x-gbclan", "en-gb-x-gbclan"),
        ("en-us-nyc", "en-us-nyc"),
    ];

    /// <summary>The accent held out of training and heard only in dev.</summary>
    public static readonly (string Name, string Voice) DevOnlyAccent = ("en-gb-x-gbcwmd", "en-gb-x-gbcwmd");

    /// <summary>The accent held out of training and heard only in test.</summary>
    public static readonly (string Name, string Voice) TestOnlyAccent = ("en-029", "en-029");

    private static readonly string[] TrainVariants =
    [
        "m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2", "klatt3",
        "adam", "Andy", "aunty", "benjamin", "caleb", "david", "edward", "john", "linda",
    ];

    private static readonly string[] DevVariants = ["m6", "f4", "klatt4", "paul", "steph", "travis"];

    private static readonly string[] TestVariants = ["m7", "m8", "f5", "klatt5", "rob", "victor", "Annie"];

    /// <summary>Voice variants of a split.</summary>
    public static IReadOnlyList<string> Variants(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => TrainVariants,
        DatasetSplit.Dev => DevVariants,
        _ => TestVariants,
    };

    /// <summary>The accent heard only in <paramref name="split"/>, or null for train.</summary>
    public static (string Name, string Voice)? HeldOutAccent(DatasetSplit split) => split switch
    {
        DatasetSplit.Dev => DevOnlyAccent,
        DatasetSplit.Test => TestOnlyAccent,
        _ => null,
    };
}
