using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CompactRnn.Serialization;

namespace CompactRnn.Interop;

/// <summary>
/// Reads and writes the safetensors format (the state-dict format of current PyTorch tooling): an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON <c>{name: {"dtype", "shape", "data_offsets": [begin, end]},
/// "__metadata__": {string: string}}</c>, then the raw little-endian tensor bytes, offsets relative to their start.
/// </summary>
/// <remarks>
/// <para><b>Reading</b> never executes anything (unlike pickle-based <c>.pt</c> files) and validates before allocating:
/// N at most <see cref="MaxHeaderLength"/> and within the file; the header a JSON object of at most
/// <see cref="MaxTensorCount"/> entries without duplicate names; each dtype one of F32, F16, BF16, F64; each shape of
/// at most 8 non-negative dimensions whose element count (checked arithmetic) times the dtype's size equals
/// end − begin; and the tensors tiling the data region exactly, without gaps or overlaps, up to the end of the file.
/// Any violation throws <see cref="InvalidDataException"/> naming the path, the tensor and the problem. Values are
/// converted to float32 (F64 rounds to nearest).</para>
/// <para><b>Writing</b> stores float32 (F32) tensors in the given order, the header padded with spaces to a multiple
/// of 8 bytes, durably and atomically (<see cref="DurableFile"/>).</para>
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>Largest header accepted (16 MiB): far above any LSTM state dict, far below memory trouble.</summary>
    public const long MaxHeaderLength = 16L * 1024 * 1024;

    /// <summary>Most tensors accepted in one file.</summary>
    public const int MaxTensorCount = 65536;

    private const string MetadataKey = "__metadata__";
    private const int MaxRank = 8;

    /// <summary>Reads and validates a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not valid safetensors (or holds an unsupported dtype); the message says why.</exception>
    public static StateDict Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        long fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (fileLength < 8 || stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) != 8)
        {
            throw Invalid(path, $"it is {fileLength} bytes, shorter than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2 || headerLength > (ulong)MaxHeaderLength || headerLength > (ulong)(fileLength - 8))
        {
            throw Invalid(path, $"its header length {headerLength} is outside [2, {Math.Min(MaxHeaderLength, fileLength - 8)}]");
        }

        byte[] header = new byte[(int)headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        List<Entry> entries;
        Dictionary<string, string> metadata;
        try
        {
            (entries, metadata) = ParseHeader(header, dataLength);
        }
        catch (JsonException error)
        {
            throw Invalid(path, $"its header is not valid JSON ({error.Message})");
        }
        catch (FormatException error)
        {
            throw Invalid(path, error.Message);
        }
        catch (InvalidOperationException error)
        {
            // A name or string the JSON reader cannot transcode (e.g. an escaped lone surrogate).
            throw Invalid(path, $"its header holds text that is not valid Unicode ({error.Message})");
        }

        var tensors = new Dictionary<string, PyTorchTensor>(entries.Count, StringComparer.Ordinal);
        long dataStart = 8 + (long)headerLength;
        foreach (Entry entry in entries)
        {
            byte[] raw = new byte[(int)(entry.End - entry.Begin)]; // ≤ Array.MaxLength and within the file (ParseEntry)
            stream.Position = dataStart + entry.Begin;
            stream.ReadExactly(raw);
            tensors.Add(entry.Name, new PyTorchTensor(entry.Shape, Convert(raw, entry.Dtype)));
        }

        return new StateDict(tensors, metadata);
    }

    /// <summary>Writes float32 tensors (and optional metadata) atomically, replacing any file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="tensors">The tensors in the order to store them; names unique, non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">String pairs stored as <c>__metadata__</c>, or null.</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, PyTorchTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        KeyValuePair<string, PyTorchTensor>[] items = [.. tensors];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, PyTorchTensor> item in items)
        {
            if (string.IsNullOrEmpty(item.Key) || item.Key == MetadataKey || !names.Add(item.Key))
            {
                throw new ArgumentException($"Tensor names must be non-empty, unique and not '{MetadataKey}'; '{item.Key}' is not.", nameof(tensors));
            }

            ArgumentNullException.ThrowIfNull(item.Value, nameof(tensors));
        }

        byte[] header = Header(items, metadata);
        using var file = new DurableFileTransaction(path); // temporary file, fsync, rename, directory sync
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        file.Stream.Write(prefix);
        file.Stream.Write(header);
        byte[] buffer = new byte[4096];
        foreach (KeyValuePair<string, PyTorchTensor> item in items)
        {
            float[] data = item.Value.Data;
            for (int start = 0; start < data.Length; start += buffer.Length / 4)
            {
                int count = Math.Min(buffer.Length / 4, data.Length - start);
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), data[start + i]);
                }

                file.Stream.Write(buffer, 0, count * 4);
            }
        }

        file.Commit();
    }

    private static byte[] Header(KeyValuePair<string, PyTorchTensor>[] items, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> pair in metadata)
                {
                    json.WriteString(pair.Key, pair.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (KeyValuePair<string, PyTorchTensor> item in items)
            {
                json.WriteStartObject(item.Key);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in item.Value.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset = checked(offset + (4L * item.Value.Data.Length));
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (int i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' '); // the format pads the header with spaces so the data starts 8-byte aligned
        }

        return buffer.ToArray();
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header, long dataLength)
    {
        using JsonDocument document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 4 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("its header is not a JSON object");
        }

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new FormatException($"its header names '{property.Name}' twice");
            }

            if (property.Name == MetadataKey)
            {
                ReadMetadata(property.Value, metadata);
                continue;
            }

            if (entries.Count == MaxTensorCount)
            {
                throw new FormatException($"it holds more than {MaxTensorCount} tensors");
            }

            entries.Add(ParseEntry(property.Name, property.Value, dataLength));
        }

        // The tensors must tile the data region exactly: no gaps, no overlaps, nothing after the last one.
        List<Entry> ordered = [.. entries.OrderBy(e => e.Begin).ThenBy(e => e.End)];
        long expected = 0;
        foreach (Entry entry in ordered)
        {
            if (entry.Begin != expected)
            {
                throw new FormatException($"tensor '{entry.Name}' starts at byte {entry.Begin} of the data, expected {expected} (gap or overlap)");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw new FormatException($"its tensors cover {expected} bytes of data but the file holds {dataLength}");
        }

        return (entries, metadata);
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"its '{MetadataKey}' is not an object of strings");
        }

        foreach (JsonProperty pair in element.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String || !metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                throw new FormatException($"its '{MetadataKey}' entry '{pair.Name}' is not a unique string");
            }
        }
    }

    private static Entry ParseEntry(string name, JsonElement element, long dataLength)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data_offsets", out JsonElement offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new FormatException($"tensor '{name}' needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" ([begin, end])");
        }

        string dtype = dtypeElement.GetString()!;
        int size = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" => 8,
            _ => throw new FormatException($"tensor '{name}' has dtype '{dtype}'; only F32, F16, BF16 and F64 are read"),
        };
        if (shapeElement.GetArrayLength() > MaxRank)
        {
            throw new FormatException($"tensor '{name}' has {shapeElement.GetArrayLength()} dimensions; at most {MaxRank} are read");
        }

        int[] shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shapeElement[d].ValueKind != JsonValueKind.Number || !shapeElement[d].TryGetInt32(out shape[d]) || shape[d] < 0)
            {
                throw new FormatException($"tensor '{name}' has dimension {d} = {shapeElement[d].GetRawText()}, not an integer in [0, {int.MaxValue}]");
            }

            count = shape[d] == 0 ? 0 : count > Array.MaxLength / shape[d] ? long.MaxValue : count * shape[d];
        }

        if (count > Array.MaxLength / size)
        {
            throw new FormatException($"tensor '{name}' is larger than {Array.MaxLength} bytes");
        }

        if (offsetsElement[0].ValueKind != JsonValueKind.Number || offsetsElement[1].ValueKind != JsonValueKind.Number
            || !offsetsElement[0].TryGetInt64(out long begin) || !offsetsElement[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > dataLength)
        {
            throw new FormatException($"tensor '{name}' has data_offsets {offsetsElement.GetRawText()} outside the {dataLength} data bytes");
        }

        if (end - begin != count * size)
        {
            throw new FormatException($"tensor '{name}' is {dtype} {ShapeText(shape)} ({count * size} bytes) but its data_offsets span {end - begin} bytes");
        }

        return new Entry(name, dtype, shape, begin, end);
    }

    private static float[] Convert(byte[] raw, string dtype)
    {
        switch (dtype)
        {
            case "F32":
                {
                    float[] values = new float[raw.Length / 4];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
                    }

                    return values;
                }

            case "F64":
                {
                    float[] values = new float[raw.Length / 8];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8));
                    }

                    return values;
                }

            case "F16":
                {
                    float[] values = new float[raw.Length / 2];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(i * 2));
                    }

                    return values;
                }

            default: // BF16: the upper 16 bits of a float32
                {
                    float[] values = new float[raw.Length / 2];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16);
                    }

                    return values;
                }
        }
    }

    private static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static InvalidDataException Invalid(string path, string problem) => new($"'{path}' is not a valid safetensors file: {problem}.");

    private sealed record Entry(string Name, string Dtype, int[] Shape, long Begin, long End);
}
