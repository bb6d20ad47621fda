using System;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Fixtures;

/// <summary>A tiny hand-made dataset: phones sil a b c (3 states each), words "ab" and "ca", random features.</summary>
internal static class SmallDataset
{
    public static SpeechDataset Create(int utterances = 6)
    {
        string[] phones = ["sil", "a", "b", "c"];
        LexiconEntry[] lexicon = [new("ab", [[1, 2]]), new("ca", [[3, 1], [3, 1, 1]])];
        var random = new Random(11);
        var list = new Utterance[utterances];
        for (int u = 0; u < utterances; u++)
        {
            int frames = 20 + u;
            var features = new byte[frames * 4];
            random.NextBytes(features);
            var labels = new int[frames];
            for (int t = 0; t < frames; t++)
            {
                labels[t] = random.Next(10);
            }

            list[u] = new Utterance($"u{u}", (DatasetSplit)(u % 3), $"speaker{u % 2}", u % 2 == 0 ? ["ab"] : ["ca", "ab"], frames, 4, features, labels);
        }

        var quantizer = new FeatureQuantizer([-1f, -2f, -3f, -4f], [0.1f, 0.1f, 0.2f, 0.2f]);
        var normalization = new NormalizationStatistics([0.5f, 0f, 1f, 2f], [1f, 2f, 3f, 4f]);
        return new SpeechDataset(phones, 3, lexicon, quantizer, normalization, list, "small test dataset");
    }
}
