using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using CompactRnn.Speech.Data;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>
/// Dataset files for <see cref="SpeechDatasetFile"/>: byte damage to valid version-2 and version-1 files (SHA-256 left
/// stale), header fields set to hostile values with the SHA-256 recomputed, and damaged bodies recompressed with a
/// valid SHA-256, so the damage reaches the body parser; read from a path or from a non-seekable stream. A loaded
/// set is used: every utterance's normalised features must be finite. Documented outcomes: loaded,
/// <see cref="InvalidDataException"/>, <see cref="IOException"/>.
/// </summary>
internal sealed class DatasetFuzzer
{
    private const int HeaderLength = 80, HashedLength = 48;
    private readonly List<(byte[] Bytes, byte[] Canonical)> _seeds = [];
    private readonly string _directory;

    public DatasetFuzzer(string directory)
    {
        _directory = directory;
        for (int i = 0; i < 3; i++)
        {
            string path = Path.Combine(directory, $"seed{i}.crds");
            SeedDataset(utterances: 4 + (3 * i), dimension: 3 + i, labels: i != 2).Save(path);
            byte[] bytes = File.ReadAllBytes(path);
            _seeds.Add((bytes, bytes));
            if (i == 0)
            {
                _seeds.Add((ToVersion1(bytes), bytes));
            }
        }
    }

    public FuzzTally Tally { get; } = new("datasets", [FuzzOutcome.Loaded, FuzzOutcome.InvalidData, FuzzOutcome.IOError]);

    public void Run(int count, Random random)
    {
        string path = Path.Combine(_directory, "case.crds");
        for (int i = 0; i < count; i++)
        {
            var (seed, canonical) = _seeds[random.Next(_seeds.Count)];
            int choice = random.Next(10);
            (string kind, byte[] bytes) = choice switch
            {
                < 3 => ("corrupt", ByteMutator.Mutate(seed, random)),
                < 6 => ("header field, SHA-256 repaired", HostileHeader(seed, random)),
                _ => ("body damaged, recompressed, SHA-256 repaired", DamagedBody(seed, random)),
            };
            File.WriteAllBytes(path, bytes);
            bool stream = random.Next(4) == 0;
            var (dataset, outcome, allocated, elapsed, detail) = FuzzRun.Measure(() =>
            {
                if (!stream)
                {
                    return SpeechDatasetFile.Read(path);
                }

                using var file = new NonSeekableStream(File.OpenRead(path));
                return SpeechDatasetFile.Read(file);
            });
            if (dataset is not null)
            {
                (outcome, detail) = Exercise(dataset);
                if (kind == "corrupt" && !SameContents(dataset, canonical))
                {
                    int first = bytes.AsSpan().CommonPrefixLength(seed);
                    Tally.AddSilentAlteration(kind, $"{bytes.Length}-byte version-{BinaryPrimitives.ReadUInt16LittleEndian(seed.AsSpan(4))} file differing from its {seed.Length}-byte seed from byte {first} loaded with other contents");
                }
            }

            Tally.Add(kind + (stream ? " (stream)" : ""), outcome, bytes.Length, allocated, elapsed, detail);
        }
    }

    /// <summary>A small valid dataset: phones sil a b, words "ab" and "ba", random features and labels.</summary>
    private static SpeechDataset SeedDataset(int utterances, int dimension, bool labels)
    {
        var random = new Random(utterances);
        LexiconEntry[] lexicon = [new("ab", [[1, 2]]), new("ba", [[2, 1]])];
        var list = new Utterance[utterances];
        for (int u = 0; u < utterances; u++)
        {
            int frames = 10 + u;
            byte[] features = new byte[frames * dimension];
            random.NextBytes(features);
            int[]? frameLabels = labels ? new int[frames] : null;
            for (int t = 0; labels && t < frames; t++)
            {
                frameLabels![t] = random.Next(7); // 3 states for a and b, one for sil
            }

            list[u] = new Utterance($"u{u}", (DatasetSplit)(u % 3), $"s{u % 2}", u % 2 == 0 ? ["ab"] : ["ba", "ab"], frames, dimension, features, frameLabels);
        }

        float[] minimum = new float[dimension], step = new float[dimension], mean = new float[dimension], deviation = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            (minimum[d], step[d], mean[d], deviation[d]) = (-d - 1f, 0.1f, d * 0.5f, 1f + d);
        }

        return new SpeechDataset(["sil", "a", "b"], 3, lexicon, new FeatureQuantizer(minimum, step), new NormalizationStatistics(mean, deviation), list, "fuzz seed");
    }

    private static byte[] ToVersion1(byte[] version2)
    {
        byte[] result = (byte[])version2.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(4), 1);
        SHA256.HashData(result.AsSpan(HeaderLength)).CopyTo(result, HashedLength); // version 1 hashes the payload only
        return result;
    }

    private static byte[] HostileHeader(byte[] seed, Random random)
    {
        byte[] result = (byte[])seed.Clone();
        int edits = 1 + random.Next(2);
        for (int e = 0; e < edits; e++)
        {
            long value = ByteMutator.HostileIntegers[random.Next(ByteMutator.HostileIntegers.Length)];
            switch (random.Next(5))
            {
                case 0:
                    BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(4 + (2 * random.Next(2))), (ushort)value); // version or flags
                    break;
                case 1:
                case 2:
                    BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(8 + (4 * random.Next(6))), (int)value); // dimension … frame shift
                    break;
                default:
                    BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(32 + (8 * random.Next(2))), value); // payload or body length
                    break;
            }
        }

        return Rehash(result);
    }

    private static byte[] DamagedBody(byte[] seed, Random random)
    {
        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(seed.AsSpan(40));
        byte[] body = new byte[bodyLength];
        if (!BrotliDecoder.TryDecompress(seed.AsSpan(HeaderLength), body, out int written) || written != bodyLength)
        {
            throw new InvalidOperationException("A seed dataset did not decompress.");
        }

        byte[] damaged = ByteMutator.Mutate(body, random);
        byte[] payload = new byte[BrotliEncoder.GetMaxCompressedLength(damaged.Length)];
        if (!BrotliEncoder.TryCompress(damaged, payload, out int compressed, quality: 1, window: 22))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }

        byte[] result = [.. seed.AsSpan(0, HeaderLength), .. payload.AsSpan(0, compressed)];
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(32), compressed);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(40), random.Next(8) == 0 ? ByteMutator.HostileIntegers[random.Next(ByteMutator.HostileIntegers.Length)] : damaged.Length);
        return Rehash(result);
    }

    private static byte[] Rehash(byte[] file)
    {
        int version = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (version != 1)
        {
            sha.AppendData(file, 0, HashedLength);
        }

        sha.AppendData(file, HeaderLength, file.Length - HeaderLength);
        sha.GetHashAndReset().CopyTo(file, HashedLength);
        return file;
    }

    /// <summary>Whether the loaded set is the seed's: written again, it must give the seed's version-2 bytes (the writer is deterministic).</summary>
    private bool SameContents(SpeechDataset dataset, byte[] canonical)
    {
        string path = Path.Combine(_directory, "resaved.crds");
        dataset.Save(path);
        return File.ReadAllBytes(path).AsSpan().SequenceEqual(canonical);
    }

    private static (FuzzOutcome Outcome, string Detail) Exercise(SpeechDataset dataset)
    {
        try
        {
            foreach (Utterance utterance in dataset.Utterances)
            {
                float[] features = dataset.GetNormalizedFeatures(utterance);
                int bad = Array.FindIndex(features, v => !float.IsFinite(v));
                if (bad >= 0)
                {
                    return (FuzzOutcome.FailedAfterLoad, $"utterance '{utterance.Id}' has feature {features[bad]} at {bad}");
                }
            }

            if (dataset.HasFrameLabels)
            {
                dataset.ComputeLogPriors();
            }

            return (FuzzOutcome.Loaded, "");
        }
        catch (Exception error)
        {
            return (FuzzOutcome.FailedAfterLoad, $"{error.GetType().Name}: {FuzzRun.OneLine(error.Message)}");
        }
    }
}
