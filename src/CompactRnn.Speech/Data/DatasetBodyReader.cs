using System;
using System.Collections.Generic;
using System.IO;

namespace CompactRnn.Speech.Data;

/// <summary>Parses the body written by <see cref="DatasetBodyWriter"/>, checking every count and index.</summary>
internal static class DatasetBodyReader
{
    public static SpeechDataset Parse(BoundedReader reader, DatasetHeader header, bool hasLabels, int maxFrames)
    {
        int dimension = header.Dimension;
        string description = reader.ReadString("description");
        var phones = new string[header.PhoneCount];
        for (int i = 0; i < phones.Length; i++)
        {
            phones[i] = reader.ReadString("phone name");
        }

        int statesPerPhone = reader.ReadInt32();
        if (statesPerPhone < 1 || statesPerPhone > 5)
        {
            throw new InvalidDataException($"states per phone {statesPerPhone} outside 1..5.");
        }

        int classCount = header.PhoneCount == 0 ? 0 : 1 + ((header.PhoneCount - 1) * statesPerPhone);

        var lexicon = new LexiconEntry[header.WordCount];
        for (int w = 0; w < lexicon.Length; w++)
        {
            string word = reader.ReadString("lexicon word");
            int variants = reader.ReadCount($"pronunciations of '{word}'", 10_000, 4);
            var pronunciations = new List<IReadOnlyList<int>>(variants);
            for (int v = 0; v < variants; v++)
            {
                int length = reader.ReadCount($"phones in a pronunciation of '{word}'", 1000, 1);
                var phoneIndices = new int[length];
                for (int p = 0; p < length; p++)
                {
                    phoneIndices[p] = CheckIndex(reader.ReadByte(), header.PhoneCount, $"phone of '{word}'");
                }

                pronunciations.Add(phoneIndices);
            }

            lexicon[w] = Build(() => new LexiconEntry(word, pronunciations));
        }

        var offset = new float[dimension];
        var step = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            offset[d] = reader.ReadSingle();
            step[d] = reader.ReadSingle();
        }

        var mean = new float[dimension];
        var deviation = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            mean[d] = reader.ReadSingle();
            deviation[d] = reader.ReadSingle();
        }

        var quantizer = Build(() => new FeatureQuantizer(offset, step));
        var normalization = Build(() => new NormalizationStatistics(mean, deviation));
        RequireFiniteNormalizedRange(quantizer, normalization);

        int speakerCount = reader.ReadCount("speaker", header.UtteranceCount, 4);
        var speakers = new string[speakerCount];
        for (int s = 0; s < speakerCount; s++)
        {
            speakers[s] = reader.ReadString("speaker name");
        }

        var utterances = new Utterance[header.UtteranceCount];
        for (int u = 0; u < utterances.Length; u++)
        {
            string id = reader.ReadString("utterance id");
            int split = reader.ReadByte();
            if (!Enum.IsDefined((DatasetSplit)split))
            {
                throw new InvalidDataException($"utterance '{id}' has unknown split {split}.");
            }

            int speaker = CheckIndex(reader.ReadInt32(), speakerCount, $"speaker of '{id}'");
            int wordCount = reader.ReadCount($"words of '{id}'", 10_000, 4);
            var words = new string[wordCount];
            for (int w = 0; w < wordCount; w++)
            {
                words[w] = reader.ReadString("word");
            }

            int frames = reader.ReadCount($"frames of '{id}'", maxFrames, dimension + (hasLabels ? 1 : 0));
            byte[] features = FeatureCodec.Decode(reader.ReadBytes(frames * dimension, $"features of '{id}'"), frames, dimension);
            int[]? labels = null;
            if (hasLabels)
            {
                byte[] raw = reader.ReadBytes(frames, $"labels of '{id}'");
                labels = new int[frames];
                for (int t = 0; t < frames; t++)
                {
                    labels[t] = CheckIndex(raw[t], classCount, $"label of '{id}'");
                }
            }

            utterances[u] = Build(() => new Utterance(id, (DatasetSplit)split, speakers[speaker], words, frames, dimension, features, labels));
        }

        if (reader.Remaining != 0)
        {
            throw new InvalidDataException($"{reader.Remaining} unexpected bytes after the last utterance.");
        }

        return Build(() => new SpeechDataset(phones, statesPerPhone, lexicon, quantizer, normalization, utterances, description));
    }

    /// <summary>
    /// Every stored feature is offset_d + step_d·q with q in 0…255, so its normalised value is finite for
    /// all q exactly when it is at both ends; a checksum-valid file with a tiny deviation must not load
    /// into infinite features.
    /// </summary>
    private static void RequireFiniteNormalizedRange(FeatureQuantizer quantizer, NormalizationStatistics normalization)
    {
        for (int d = 0; d < quantizer.Dimension; d++)
        {
            float low = quantizer.Offset[d], high = quantizer.Offset[d] + (255f * quantizer.Step[d]);
            float lowNormalized = (low - normalization.Mean[d]) / normalization.Deviation[d];
            float highNormalized = (high - normalization.Mean[d]) / normalization.Deviation[d];
            if (!float.IsFinite(high) || !float.IsFinite(lowNormalized) || !float.IsFinite(highNormalized))
            {
                throw new InvalidDataException(
                    $"normalisation of dimension {d} (mean {normalization.Mean[d]}, deviation {normalization.Deviation[d]}) maps the quantiser range [{low}, {high}] to non-finite features.");
            }
        }
    }

    private static int CheckIndex(int value, int count, string what)
    {
        if (value < 0 || value >= count)
        {
            throw new InvalidDataException($"{what}: index {value} outside 0..{count - 1}.");
        }

        return value;
    }

    // Constructors validate semantic consistency with ArgumentException; in a file that is malformed data.
    private static T Build<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"inconsistent content: {e.Message}", e);
        }
    }
}
