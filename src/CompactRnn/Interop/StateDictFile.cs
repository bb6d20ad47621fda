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
    /// <summary>Reads a state dict; the form is chosen by the extension (<c>.json</c> or safetensors).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the path and the problem.</exception>
    public static StateDict Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsJson(path))
        {
            return SafetensorsFile.Read(path);
        }

        Dictionary<string, PyTorchTensor> tensors = PyTorchLstmImporter.ReadTensors(path);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream);
        if (document.RootElement.TryGetProperty("metadata", out JsonElement element))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{path}': \"metadata\" must be an object of strings.");
            }

            foreach (JsonProperty pair in element.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || !metadata.TryAdd(pair.Name, pair.Value.GetString()!))
                {
                    throw new InvalidDataException($"'{path}': metadata entry '{pair.Name}' is not a unique string.");
                }
            }
        }

        return new StateDict(tensors, metadata);
    }

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
