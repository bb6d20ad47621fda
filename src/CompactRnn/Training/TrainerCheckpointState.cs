using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CompactRnn.Training;

/// <summary>
/// The trainer's part of a checkpoint (UTF-8 JSON in the checkpoint's <c>trainer-state</c> section): where the run is,
/// the settings that decide its arithmetic, and its model-selection state, so <see cref="BpttTrainer.Resume"/> can
/// continue bit-identically. The best loss is stored as its IEEE bits, so the resumed comparisons are exact.
/// </summary>
internal sealed record TrainerCheckpointState(
    int Epoch, long Updates, int Seed, int BatchSize, int ChunkLength, int Threads, float ClipNorm, float LabelSmoothing,
    float DistillationWeight, bool BlockLearningRates, float NextRate, double BestLoss, int EpochsWithoutGain, EpochRecord[] History)
{
    /// <summary>The run's <see cref="TrainerOptions.LengthSortPool"/>; checkpoints written before it existed read as 0 (random batches).</summary>
    public int LengthSortPool { get; init; }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", Epoch);
            json.WriteNumber("updates", Updates);
            json.WriteNumber("seed", Seed);
            json.WriteNumber("batchSize", BatchSize);
            json.WriteNumber("chunkLength", ChunkLength);
            json.WriteNumber("threads", Threads);
            json.WriteNumber("clipNormBits", BitConverter.SingleToInt32Bits(ClipNorm));
            json.WriteNumber("labelSmoothingBits", BitConverter.SingleToInt32Bits(LabelSmoothing));
            json.WriteNumber("distillationWeightBits", BitConverter.SingleToInt32Bits(DistillationWeight));
            json.WriteBoolean("blockLearningRates", BlockLearningRates);
            json.WriteNumber("lengthSortPool", LengthSortPool);
            json.WriteNumber("nextRateBits", BitConverter.SingleToInt32Bits(NextRate));
            json.WriteNumber("bestLossBits", BitConverter.DoubleToInt64Bits(BestLoss));
            json.WriteNumber("epochsWithoutGain", EpochsWithoutGain);
            json.WriteStartArray("history");
            foreach (EpochRecord record in History)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", record.Epoch);
                json.WriteNumber("trainLossBits", BitConverter.DoubleToInt64Bits(record.TrainLoss));
                json.WriteNumber("seconds", record.Seconds);
                if (record.Validation is { } validation)
                {
                    json.WriteNumber("validationLossBits", BitConverter.DoubleToInt64Bits(validation.Loss));
                    json.WriteNumber("validationAccuracyBits", BitConverter.DoubleToInt64Bits(validation.Accuracy));
                    json.WriteNumber("validationFrames", validation.Frames);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses the state; <see cref="InvalidDataException"/> names the missing or malformed member.</summary>
    public static TrainerCheckpointState Parse(byte[] utf8)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = document.RootElement;
            var history = new List<EpochRecord>();
            foreach (JsonElement record in Member(root, "history").EnumerateArray())
            {
                EvaluationResult? validation = record.TryGetProperty("validationLossBits", out JsonElement loss)
                    ? new EvaluationResult(BitConverter.Int64BitsToDouble(loss.GetInt64()),
                        BitConverter.Int64BitsToDouble(Member(record, "validationAccuracyBits").GetInt64()), Member(record, "validationFrames").GetInt64())
                    : null;
                history.Add(new EpochRecord(Member(record, "epoch").GetInt32(), BitConverter.Int64BitsToDouble(Member(record, "trainLossBits").GetInt64()),
                    validation, Member(record, "seconds").GetDouble()));
            }

            return new TrainerCheckpointState(
                Member(root, "epoch").GetInt32(), Member(root, "updates").GetInt64(), Member(root, "seed").GetInt32(), Member(root, "batchSize").GetInt32(),
                Member(root, "chunkLength").GetInt32(), Member(root, "threads").GetInt32(), Single(root, "clipNormBits"), Single(root, "labelSmoothingBits"),
                Single(root, "distillationWeightBits"), Member(root, "blockLearningRates").GetBoolean(), Single(root, "nextRateBits"),
                BitConverter.Int64BitsToDouble(Member(root, "bestLossBits").GetInt64()), Member(root, "epochsWithoutGain").GetInt32(), [.. history])
            {
                LengthSortPool = root.TryGetProperty("lengthSortPool", out JsonElement pool) ? pool.GetInt32() : 0,
            };
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"The checkpoint's trainer state cannot be resumed from: {error.Message}", error);
        }
    }

    private static float Single(JsonElement element, string name) => BitConverter.Int32BitsToSingle(Member(element, name).GetInt32());

    private static JsonElement Member(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) ? value
            : throw new KeyNotFoundException($"it has no \"{name}\" (written by an older version, or not by BpttTrainer)");
}
