using System;

namespace CompactRnn.CorpusGen.Generation;

/// <summary>How many utterances of each split to synthesise, and the seed that fixes everything else.</summary>
/// <param name="Name">Preset name recorded in the dataset description.</param>
/// <param name="TrainCount">Training utterances.</param>
/// <param name="DevCount">Development utterances.</param>
/// <param name="TestCount">Test utterances.</param>
/// <param name="Seed">Seed of the generator's random stream.</param>
internal sealed record CorpusSettings(string Name, int TrainCount, int DevCount, int TestCount, int Seed)
{
    /// <summary>The embedded default (data/digits-default.crds).</summary>
    public static CorpusSettings Default(int seed) => new("default", 800, 150, 150, seed);

    /// <summary>The full set: more than 10 hours of audio.</summary>
    public static CorpusSettings Full(int seed) => new("full", 21000, 2000, 2000, seed);

    /// <summary>A preset by name.</summary>
    public static CorpusSettings FromPreset(string preset, int seed) => preset switch
    {
        "default" => Default(seed),
        "full" => Full(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Preset must be 'default' or 'full'."),
    };

    /// <summary>Total number of utterances.</summary>
    public int TotalCount => TrainCount + DevCount + TestCount;
}
