using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using CompactRnn.Interop;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Fuzz;

/// <summary>
/// State dicts for <see cref="PyTorchLstmImporter.ImportFile"/>: exports of nn.LSTM-style and compact networks (with
/// their configuration metadata) as safetensors and JSON, then byte damage, edits of the safetensors header or the
/// JSON (hostile shapes, offsets, dtypes, values, names such as <c>*_reverse</c>, metadata and configuration), and
/// character-level damage of JSON text. Neither format has a checksum, so a damaged value may import as another
/// value; what is checked is that every failure is documented. Documented outcomes: loaded,
/// <see cref="InvalidDataException"/>, <see cref="IOException"/>.
/// </summary>
internal sealed class ImporterFuzzer
{
    private static readonly string[] Specs = ["dense x2", "dense:p=4 x2", "toeplitz:r=2 x1 | lowrank:k=3 x1"];
    private readonly List<(string Extension, byte[] Bytes)> _seeds = [];
    private readonly string _directory;

    public ImporterFuzzer(string directory)
    {
        _directory = directory;
        for (int i = 0; i < Specs.Length; i++)
        {
            var options = new LstmNetworkOptions { InputSize = 5, Layers = NetworkSpec.Parse(Specs[i], new LstmLayerOptions { HiddenSize = 6 }), OutputSize = i == 0 ? 0 : 4 };
            LstmModel model = LstmModel.CreateInitialized(options, seed: 200 + i);
            foreach (string extension in (string[])[".safetensors", ".json"])
            {
                string path = Path.Combine(directory, $"seed{i}{extension}");
                PyTorchLstmExporter.ExportFile(model, path, requireNnLstm: i < 2);
                _seeds.Add((extension, File.ReadAllBytes(path)));
            }
        }
    }

    public FuzzTally Tally { get; } = new("importer", [FuzzOutcome.Loaded, FuzzOutcome.InvalidData, FuzzOutcome.IOError]);

    public void Run(int count, Random random)
    {
        for (int i = 0; i < count; i++)
        {
            var (extension, seed) = _seeds[random.Next(_seeds.Count)];
            int choice = random.Next(10);
            (string kind, byte[] bytes) = choice switch
            {
                < 3 => ("corrupt", ByteMutator.Mutate(seed, random)),
                _ when extension == ".json" && choice < 6 => ("JSON text damaged", DamagedText(seed, random)),
                _ => ("structure edited", Edited(extension, seed, random)),
            };
            string path = Path.Combine(_directory, "case" + extension);
            File.WriteAllBytes(path, bytes);
            var (result, outcome, allocated, elapsed, detail) = FuzzRun.Measure(() => (object)PyTorchLstmImporter.ImportFile(path));
            if (result is ValueTuple<LstmNetwork, float[]> imported)
            {
                (outcome, detail) = Exercise(imported.Item1, imported.Item2);
            }

            Tally.Add($"{extension[1..]}: {kind}", outcome, bytes.Length, allocated, elapsed, detail);
        }
    }

    private static byte[] DamagedText(byte[] seed, Random random)
    {
        string text = Encoding.UTF8.GetString(seed);
        var builder = new StringBuilder(text);
        int edits = 1 + random.Next(3);
        const string Alphabet = "{}[]:,\"-.0123456789eE \\u";
        for (int e = 0; e < edits && builder.Length > 0; e++)
        {
            int at = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder.Remove(at, Math.Min(builder.Length - at, 1 + random.Next(4)));
                    break;
                case 1:
                    builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    builder[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static byte[] Edited(string extension, byte[] seed, Random random)
    {
        if (extension == ".json")
        {
            JsonObject root = JsonNode.Parse(seed)!.AsObject();
            EditTensors(root["tensors"]!.AsObject(), root["metadata"] as JsonObject, random, json: true);
            string text = root.ToJsonString();
            return Encoding.UTF8.GetBytes(random.Next(10) == 0 ? text + "{}" : text);
        }

        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
        JsonObject header = JsonNode.Parse(seed.AsSpan(8, headerLength))!.AsObject();
        var tensors = new JsonObject();
        foreach (var (name, value) in header.ToList())
        {
            if (name != "__metadata__")
            {
                header.Remove(name);
                tensors[name] = value;
            }
        }

        JsonObject? metadata = header["__metadata__"] as JsonObject;
        EditTensors(tensors, metadata, random, json: false);
        foreach (var (name, value) in tensors.ToList())
        {
            tensors.Remove(name);
            header[name] = value;
        }

        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] data = seed[(8 + headerLength)..];
        if (random.Next(4) == 0)
        {
            data = data[..random.Next(data.Length + 1)];
        }

        byte[] result = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)headerBytes.Length);
        headerBytes.CopyTo(result, 8);
        data.CopyTo(result, 8 + headerBytes.Length);
        return result;
    }

    private static void EditTensors(JsonObject tensors, JsonObject? metadata, Random random, bool json)
    {
        string[] names = [.. tensors.Select(p => p.Key)];
        string name = names[random.Next(names.Length)];
        JsonObject tensor = tensors[name]!.AsObject();
        long hostile = ByteMutator.HostileIntegers[random.Next(ByteMutator.HostileIntegers.Length)];
        switch (random.Next(json ? 7 : 9))
        {
            case 0: // a dimension
                {
                    JsonArray shape = tensor["shape"]!.AsArray();
                    if (shape.Count > 0)
                    {
                        shape[random.Next(shape.Count)] = hostile;
                    }
                    else
                    {
                        shape.Add(hostile);
                    }

                    break;
                }

            case 1: // a dimension added or dropped
                {
                    JsonArray shape = tensor["shape"]!.AsArray();
                    if (shape.Count > 0 && random.Next(2) == 0)
                    {
                        shape.RemoveAt(random.Next(shape.Count));
                    }
                    else
                    {
                        shape.Add(random.Next(2) == 0 ? 1 : hostile);
                    }

                    break;
                }

            case 2: // renamed: the reverse direction of a bidirectional LSTM, another layer, or something unknown
                tensors.Remove(name);
                tensors[random.Next(3) switch { 0 => name + "_reverse", 1 => name.Replace("l0", "l7", StringComparison.Ordinal), _ => "module." + name }] = tensor;
                break;
            case 3: // dropped
                tensors.Remove(name);
                break;
            case 4: // duplicated under a new name
                tensors[name + "_copy"] = tensor.DeepClone();
                break;
            case 5 when metadata is not null: // metadata: a flag, or an edit of the configuration
                {
                    string key = metadata.Select(p => p.Key).FirstOrDefault(k => k.Contains("config", StringComparison.OrdinalIgnoreCase)) ?? "bidirectional";
                    if (random.Next(3) == 0 || metadata[key] is not JsonValue value || !value.TryGetValue(out string? configuration))
                    {
                        metadata[random.Next(2) == 0 ? "bidirectional" : "batch_first"] = random.Next(2) == 0 ? "true" : "1";
                    }
                    else
                    {
                        metadata[key] = configuration.Replace("\"hiddenSize\":6", "\"hiddenSize\":" + Math.Abs(hostile % (1 << 21)), StringComparison.Ordinal)
                            .Replace("\"rank\":2", "\"rank\":" + (hostile % 100), StringComparison.Ordinal);
                    }

                    break;
                }

            case 6 when json: // a value
                {
                    JsonArray data = tensor["data"]!.AsArray();
                    if (data.Count > 0)
                    {
                        data[random.Next(data.Count)] = random.Next(3) switch { 0 => JsonValue.Create(1e39), 1 => JsonValue.Create("x"), _ => JsonValue.Create(hostile) };
                    }

                    break;
                }

            case 6:
            case 7: // data offsets
                {
                    JsonArray offsets = tensor["data_offsets"]!.AsArray();
                    offsets[random.Next(2)] = hostile;
                    break;
                }

            case 8: // dtype
                tensor["dtype"] = new[] { "F16", "BF16", "F64", "I64", "U8", "" }[random.Next(6)];
                break;
            default:
                tensors[name] = JsonValue.Create(hostile);
                break;
        }
    }

    private static (FuzzOutcome Outcome, string Detail) Exercise(LstmNetwork network, float[] parameters)
    {
        try
        {
            var model = new LstmModel(network, parameters);
            model.CreateSession().Step(new float[network.Options.InputSize], new float[network.OutputSize]);
            return (FuzzOutcome.Loaded, "");
        }
        catch (Exception error)
        {
            return (FuzzOutcome.FailedAfterLoad, $"{error.GetType().Name}: {FuzzRun.OneLine(error.Message)}");
        }
    }
}
