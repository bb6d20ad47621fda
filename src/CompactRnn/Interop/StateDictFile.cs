using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using CompactRnn.Serialization;

namespace CompactRnn.Interop;

/// <summary>
/// A state dict on disk, in either form: <c>.json</c> files use the project's JSON form
/// <c>{"metadata": {string: string}, "tensors": {name: {"shape": [...], "data": [...]}}}</c> (readable without
/// any library from Python's <c>json</c>); every other extension is safetensors (<see cref="SafetensorsFile"/>).
/// </summary>
public static class StateDictFile
{
    /// <summary>Largest <c>.json</c> state dict read (256 MiB): parsing holds the text and about 12 bytes per number, so the
    /// cap bounds a read near 1 GiB; larger networks travel as safetensors, which has no such overhead.</summary>
    public const long MaxJsonLength = 256L * 1024 * 1024;

    private const int MaxRank = 8;

    /// <summary>Reads a state dict; the form is chosen by the extension (<c>.json</c> or safetensors).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the path, the entry and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StateDict Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return IsJson(path) ? ReadJson(path) : SafetensorsFile.Read(path);
    }

    /// <summary>
    /// Reads the JSON form, validating as it goes: the file at most <see cref="MaxJsonLength"/> bytes, one document
    /// without duplicate keys, at most <see cref="SafetensorsFile.MaxTensorCount"/> tensors, each with a shape of at
    /// most 8 non-negative integer dimensions whose product (checked) equals the number of <c>data</c> numbers.
    /// </summary>
    internal static StateDict ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        if (stream.Length > MaxJsonLength)
        {
            throw new InvalidDataException($"'{path}' is {stream.Length:N0} bytes; a JSON state dict may have at most {MaxJsonLength:N0} (use safetensors for larger networks).");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 8 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tensors", out JsonElement tensorsElement) || tensorsElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{path}' has no \"tensors\" object.");
            }

            var tensors = new Dictionary<string, PyTorchTensor>(StringComparer.Ordinal);
            foreach (JsonProperty property in tensorsElement.EnumerateObject())
            {
                if (tensors.Count == SafetensorsFile.MaxTensorCount)
                {
                    throw new InvalidDataException($"'{path}' holds more than {SafetensorsFile.MaxTensorCount} tensors.");
                }

                tensors.Add(property.Name, ReadTensor(path, property.Name, property.Value));
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out JsonElement element))
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"'{path}': \"metadata\" must be an object of strings.");
                }

                foreach (JsonProperty pair in element.EnumerateObject())
                {
                    if (pair.Value.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidDataException($"'{path}': metadata entry '{pair.Name}' is not a string.");
                    }

                    metadata.Add(pair.Name, pair.Value.GetString()!);
                }
            }

            return new StateDict(tensors, metadata);
        }
        catch (JsonException error)
        {
            // Malformed text, a trailing document, a duplicate key (tensor, field or metadata entry) or nesting too deep.
            throw new InvalidDataException($"'{path}' is not a valid JSON state dict: {error.Message}", error);
        }
        catch (InvalidOperationException error)
        {
            // A name or string the JSON reader cannot transcode (e.g. an escaped lone surrogate).
            throw new InvalidDataException($"'{path}' holds text that is not valid Unicode: {error.Message}", error);
        }
    }

    private static PyTorchTensor ReadTensor(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data", out JsonElement dataElement) || dataElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Tensor '{name}' in '{path}' needs \"shape\" and \"data\" arrays.");
        }

        if (shapeElement.GetArrayLength() > MaxRank)
        {
            throw new InvalidDataException($"Tensor '{name}' in '{path}' has {shapeElement.GetArrayLength()} dimensions; at most {MaxRank} are read.");
        }

        int[] shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            JsonElement dimension = shapeElement[d];
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out shape[d]) || shape[d] < 0)
            {
                throw new InvalidDataException($"Tensor '{name}' in '{path}' has dimension {d} = {dimension.GetRawText()}, not an integer in [0, {int.MaxValue}].");
            }

            count = shape[d] == 0 ? 0 : count > Array.MaxLength / shape[d] ? long.MaxValue : count * shape[d];
        }

        int length = dataElement.GetArrayLength();
        if (count != length)
        {
            throw new InvalidDataException($"Tensor '{name}' in '{path}' has shape [{string.Join(", ", shape)}] but {length} elements.");
        }

        float[] data = new float[length]; // bounded by the numbers actually in the (length-capped) file
        int i = 0;
        foreach (JsonElement value in dataElement.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number))
            {
                throw new InvalidDataException($"Tensor '{name}' in '{path}' has element {i} = {Clip(value.GetRawText())}, not a number.");
            }

            data[i++] = (float)number;
        }

        return new PyTorchTensor(shape, data);
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Writes a state dict durably and atomically (<see cref="DurableFile"/>); the form is chosen by the extension.</summary>
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="stateDict">The tensors (in order) and metadata.</param>
    public static void Write(string path, StateDict stateDict)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        if (!IsJson(path))
        {
            SafetensorsFile.Write(path, stateDict.Tensors, stateDict.Metadata);
            return;
        }

        using var file = new DurableFileTransaction(path); // temporary file, fsync, rename, directory sync
        using (var json = new Utf8JsonWriter(file.Stream))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            foreach (KeyValuePair<string, string> pair in stateDict.Metadata)
            {
                json.WriteString(pair.Key, pair.Value);
            }

            json.WriteEndObject();
            json.WriteStartObject("tensors");
            foreach (KeyValuePair<string, PyTorchTensor> tensor in stateDict.Tensors)
            {
                json.WriteStartObject(tensor.Key);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Value.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data");
                foreach (float value in tensor.Value.Data)
                {
                    if (!float.IsFinite(value))
                    {
                        throw new ArgumentException($"Tensor '{tensor.Key}' holds {value}, which JSON cannot store.", nameof(stateDict));
                    }

                    json.WriteNumberValue(value); // shortest round-trip form: reads back bit for bit
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        file.Commit();
    }

    private static bool IsJson(string path) => string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase);
}
