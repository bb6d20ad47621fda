using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>
/// Model files for <c>LstmModel.Load</c>: byte damage to valid files of every gate-matrix kind (with the
/// CRC-32C left stale, so the checksum must catch it, or repaired, so the parser must), and checksum-valid files whose
/// configuration JSON is edited to hostile values, types, layer counts, duplicate keys and trailing documents.
/// Documented outcomes: loaded, <see cref="InvalidDataException"/>, <see cref="IOException"/>.
/// </summary>
internal sealed class ModelFileFuzzer
{
    private static readonly string[] Specs =
    [
        "dense x2", "toeplitz:r=2 x2", "lowrank:k=4,p=8 x1", "toeplitz-stacked:r=2 x1 | lowrank-pergate:k=2 x1", "shared-lowrank:k=4 x2", "toeplitz:r=3,p=6 x1",
    ];

    private static readonly string[] Kinds = ["dense", "lowrank", "lowrank-pergate", "toeplitz", "toeplitz-stacked", "bogus", ""];
    private static readonly double[] HostileReals = [0, -0.0, 0.5, -1, 1e-45, 1e38, 3.5e38, 1e300, 2.5];

    private readonly List<(byte[] Bytes, byte[] Configuration, float[] Parameters)> _seeds = [];
    private readonly string _directory;

    public ModelFileFuzzer(string directory)
    {
        _directory = directory;
        for (int i = 0; i < Specs.Length; i++)
        {
            var options = new LstmNetworkOptions
            {
                InputSize = 6 + i,
                Layers = NetworkSpec.Parse(Specs[i], new LstmLayerOptions { HiddenSize = 8, Peepholes = i % 2 == 0, CellClip = i == 3 ? 5f : 0f }),
                OutputSize = i == 4 ? 0 : 5,
                OutputMode = i == 5 ? OutputMode.LastFrame : OutputMode.Frame,
            };
            LstmModel model = LstmModel.CreateInitialized(options, seed: 100 + i);
            string path = Path.Combine(directory, $"seed{i}.crnn");
            model.Save(path);
            _seeds.Add((File.ReadAllBytes(path), NetworkOptionsJson.Write(options), model.Parameters.ToArray()));
        }
    }

    public FuzzTally Tally { get; } = new("models", [FuzzOutcome.Loaded, FuzzOutcome.InvalidData, FuzzOutcome.IOError]);

    /// <summary>Runs <paramref name="count"/> cases drawn from <paramref name="random"/>.</summary>
    public void Run(int count, Random random)
    {
        string path = Path.Combine(_directory, "case.crnn");
        for (int i = 0; i < count; i++)
        {
            var seed = _seeds[random.Next(_seeds.Count)];
            int choice = random.Next(10);
            string kind;
            byte[] bytes;
            if (choice < 3)
            {
                kind = "corrupt";
                bytes = ByteMutator.Mutate(seed.Bytes, random);
            }
            else if (choice < 6)
            {
                kind = "corrupt, CRC repaired";
                bytes = RepairChecksum(ByteMutator.Mutate(seed.Bytes[..^SectionFileFormat.ChecksumLength], random));
            }
            else
            {
                kind = "crafted configuration";
                bytes = Crafted(seed.Configuration, random, path);
            }

            File.WriteAllBytes(path, bytes);
            var (model, outcome, allocated, elapsed, detail) = FuzzRun.Measure(() => LstmModel.Load(path));
            if (model is not null)
            {
                (outcome, detail) = Exercise(model);
                if (kind == "corrupt" && !Same(model, seed.Configuration, seed.Parameters))
                {
                    Tally.AddSilentAlteration(kind, $"{bytes.Length}-byte file loaded with contents other than the original");
                }
            }

            Tally.Add(kind, outcome, bytes.Length, allocated, elapsed, detail);
        }
    }

    /// <summary>Rewrites the trailing CRC-32C so the damage reaches the parser.</summary>
    private static byte[] RepairChecksum(byte[] body)
    {
        byte[] result = new byte[body.Length + SectionFileFormat.ChecksumLength];
        body.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(body.Length), Crc32C.Compute(body));
        return result;
    }

    private static byte[] Crafted(byte[] configuration, Random random, string scratchPath)
    {
        JsonObject root = JsonNode.Parse(configuration)!.AsObject();
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            Edit(root, random);
        }

        string text = root.ToJsonString();
        text = random.Next(12) switch
        {
            0 => text + "{}",
            1 => text[..^1] + ",\"inputSize\":5}",
            2 => text[..^1] + ",\"extra\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
            _ => text,
        };
        byte[] hostile = Encoding.UTF8.GetBytes(text);

        // Usually as many floats as the edited configuration needs (so the load gets past the count check), else a few.
        long needed = -1;
        try
        {
            needed = NetworkFootprint.Measure(NetworkOptionsJson.Read(hostile)).ParameterCount;
        }
        catch (Exception error) when (error is InvalidDataException or ArgumentException or OverflowException)
        {
        }

        int floats = needed is >= 0 and <= 1 << 21 && random.Next(4) != 0 ? (int)needed + (random.Next(8) == 0 ? 1 : 0) : random.Next(3) switch { 0 => 0, 1 => 1, _ => random.Next(5000) };
        float[] parameters = new float[floats];
        for (int i = 0; i < floats; i++)
        {
            parameters[i] = (float)(random.NextDouble() - 0.5);
        }

        ModelFile.Write(scratchPath, NetworkOptionsJson.KindTag, hostile, parameters);
        return File.ReadAllBytes(scratchPath);
    }

    private static void Edit(JsonObject root, Random random)
    {
        JsonArray layers = root["layers"] as JsonArray ?? [];
        JsonObject? layer = layers.Count > 0 ? layers[random.Next(layers.Count)] as JsonObject : null;
        switch (random.Next(10))
        {
            case 0:
                root[Pick(random, "inputSize", "outputSize", "version", "dropout")] = Hostile(random);
                break;
            case 1 when layer is not null:
                layer[Pick(random, "hiddenSize", "projectionSize", "cellClip", "projectionClip", "forgetBias")] = Hostile(random);
                break;
            case 2 when SpecOf(layer, random) is JsonObject spec:
                spec["rank"] = Hostile(random);
                break;
            case 3 when SpecOf(layer, random) is JsonObject spec:
                spec["kind"] = Kinds[random.Next(Kinds.Length)];
                break;
            case 4:
                root["outputMode"] = Pick(random, "frame", "last-frame", "Frame", "7");
                break;
            case 5 when layers.Count > 0:
                {
                    int target = Pick(random, 1, 8, 64, 65, 300);
                    JsonNode first = layers[0]!;
                    layers.Clear();
                    for (int i = 0; i < target; i++)
                    {
                        layers.Add(first.DeepClone());
                    }

                    break;
                }

            case 6:
                {
                    JsonObject target = layer is not null && random.Next(2) == 0 ? layer : root;
                    string name = target.Select(p => p.Key).ElementAt(random.Next(target.Count));
                    target.Remove(name);
                    break;
                }

            case 7:
                {
                    JsonObject target = layer is not null && random.Next(2) == 0 ? layer : root;
                    string name = target.Select(p => p.Key).ElementAt(random.Next(target.Count));
                    target[name] = random.Next(4) switch { 0 => JsonValue.Create("1"), 1 => JsonValue.Create(true), 2 => new JsonArray(), _ => null };
                    break;
                }

            case 8:
                root["format"] = Pick(random, "compactrnn-lstm", "compactrnn-gru", "");
                break;
            default: // one huge, consistent layer: large sizes that are valid on their own
                if (layer is not null)
                {
                    int size = Pick(random, 1 << 12, 1 << 16, 1 << 18, 1 << 20);
                    layer["hiddenSize"] = size;
                    root["inputSize"] = Pick(random, 1, size);
                }

                break;
        }
    }

    private static JsonNode? SpecOf(JsonObject? layer, Random random) => layer is null ? null : layer[Pick(random, "input", "recurrent", "projection")];

    private static JsonValue Hostile(Random random)
        => random.Next(3) == 0 ? JsonValue.Create(HostileReals[random.Next(HostileReals.Length)])
            : JsonValue.Create(ByteMutator.HostileIntegers[random.Next(ByteMutator.HostileIntegers.Length)]);

    private static T Pick<T>(Random random, params T[] values) => values[random.Next(values.Length)];

    /// <summary>Uses a loaded model as an application would: one streaming step and a short batch call.</summary>
    private static (FuzzOutcome Outcome, string Detail) Exercise(LstmModel model)
    {
        try
        {
            if (model.Network.ParameterCount > 1 << 22)
            {
                return (FuzzOutcome.Loaded, ""); // large but valid: loading it within the limits was the test
            }

            int inputs = model.Network.Options.InputSize, outputs = model.Network.OutputSize;
            StreamingSession session = model.CreateSession();
            session.Step(new float[inputs], new float[outputs]);
            const int steps = 3, batch = 2;
            int outputLength = model.Network.Options.OutputMode == OutputMode.LastFrame ? batch * outputs : steps * batch * outputs;
            model.Infer(new float[steps * batch * inputs], steps, batch, [], new float[outputLength]);
            return (FuzzOutcome.Loaded, "");
        }
        catch (Exception error)
        {
            return (FuzzOutcome.FailedAfterLoad, $"{error.GetType().Name}: {FuzzRun.OneLine(error.Message)}");
        }
    }

    private static bool Same(LstmModel model, byte[] configuration, float[] parameters)
        => NetworkOptionsJson.Write(model.Network.Options).AsSpan().SequenceEqual(configuration)
            && model.Parameters.Length == parameters.Length
            && Enumerable.Range(0, parameters.Length).All(i => BitConverter.SingleToInt32Bits(model.Parameters[i]) == BitConverter.SingleToInt32Bits(parameters[i]));
}
