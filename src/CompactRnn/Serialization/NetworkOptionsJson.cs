using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Serialization;

/// <summary>
/// The configuration section of a model file: <see cref="LstmNetworkOptions"/> as UTF-8 JSON, written
/// and read field by field (no reflection), with every value validated on read.
/// </summary>
/// <remarks>
/// <code>
/// {"format":"compactrnn-lstm","version":1,"inputSize":40,"outputSize":10,"outputMode":"frame","dropout":0,
///  "layers":[{"hiddenSize":256,"projectionSize":64,"peepholes":true,"cellClip":50,"projectionClip":0,
///             "forgetBias":1,"input":{"kind":"toeplitz","rank":8},"recurrent":{…},"projection":{…},"init":"rank-scaled"}]}
/// </code>
/// <c>"init"</c> is optional (absent: <c>vp</c>) and written only for other schemes.
/// Toeplitz-like generators use the ½·J convention of docs/math.md §6 (the only one CompactRnn writes).
/// </remarks>
public static class NetworkOptionsJson
{
    /// <summary>The model-file kind tag of an LSTM stack.</summary>
    public const string KindTag = "CompactRnn.LstmStack";

    private const string Format = "compactrnn-lstm";
    private const int Version = 1;
    private const int MaxLayers = LstmNetworkOptions.MaxLayers;
    private const int MaxSize = LstmNetworkOptions.MaxSize;

    /// <summary>Serialises the options (validated first, so whatever is written can be read back).</summary>
    public static byte[] Write(LstmNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteNumber("inputSize", options.InputSize);
            json.WriteNumber("outputSize", options.OutputSize);
            json.WriteString("outputMode", options.OutputMode == OutputMode.Frame ? "frame" : "last-frame");
            json.WriteNumber("dropout", options.Dropout);
            json.WriteStartArray("layers");
            foreach (LstmLayerOptions layer in options.Layers)
            {
                json.WriteStartObject();
                json.WriteNumber("hiddenSize", layer.HiddenSize);
                json.WriteNumber("projectionSize", layer.ProjectionSize);
                json.WriteBoolean("peepholes", layer.Peepholes);
                json.WriteNumber("cellClip", layer.CellClip);
                json.WriteNumber("projectionClip", layer.ProjectionClip);
                json.WriteNumber("forgetBias", layer.ForgetBias);
                WriteSpec(json, "input", layer.Input);
                WriteSpec(json, "recurrent", layer.Recurrent);
                WriteSpec(json, "projection", layer.Projection);
                if (layer.Init != GateMatrixInit.VariancePreserving)
                {
                    // Optional (files from before the option read as "vp"): the scheme sets the step-size multipliers (docs/math.md §13),
                    // so a resumed or fine-tuned model must get the one it was built with.
                    json.WriteString("init", NetworkSpec.FormatInit(layer.Init));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Parses and validates options written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON, an unknown format or version, or an invalid value; the message names it.</exception>
    public static LstmNetworkOptions Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            // One document only (trailing content is an error) and no duplicate keys, so no two readers can
            // disagree about what a configuration says.
            using JsonDocument document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            JsonElement root = document.RootElement;
            if (String(root, "format") != Format)
            {
                throw new InvalidDataException($"The configuration is not a '{Format}' configuration.");
            }

            int version = Int(root, "version", 1, int.MaxValue);
            if (version != Version)
            {
                throw new InvalidDataException($"Configuration version {version} is not supported (expected {Version}).");
            }

            JsonElement layersElement = Property(root, "layers");
            if (layersElement.ValueKind != JsonValueKind.Array || layersElement.GetArrayLength() is < 1 or > MaxLayers)
            {
                throw new InvalidDataException($"'layers' must be an array of 1 to {MaxLayers} layers.");
            }

            var layers = new List<LstmLayerOptions>();
            foreach (JsonElement layer in layersElement.EnumerateArray())
            {
                layers.Add(new LstmLayerOptions
                {
                    HiddenSize = Int(layer, "hiddenSize", 1, MaxSize),
                    ProjectionSize = Int(layer, "projectionSize", 0, MaxSize),
                    Peepholes = Property(layer, "peepholes").GetBoolean(),
                    CellClip = Float(layer, "cellClip"),
                    ProjectionClip = Float(layer, "projectionClip"),
                    ForgetBias = Float(layer, "forgetBias"),
                    Input = ReadSpec(layer, "input"),
                    Recurrent = ReadSpec(layer, "recurrent"),
                    Projection = ReadSpec(layer, "projection"),
                    Init = ReadInit(layer),
                });
            }

            string mode = String(root, "outputMode");
            var options = new LstmNetworkOptions
            {
                InputSize = Int(root, "inputSize", 1, MaxSize),
                OutputSize = Int(root, "outputSize", 0, MaxSize),
                OutputMode = mode switch
                {
                    "frame" => OutputMode.Frame,
                    "last-frame" => OutputMode.LastFrame,
                    _ => throw new InvalidDataException($"Unknown outputMode '{mode}'."),
                },
                Dropout = Float(root, "dropout"),
                Layers = layers,
            };
            options.Validate();
            return options;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Invalid model configuration: {error.Message}", error);
        }
    }

    private static void WriteSpec(Utf8JsonWriter json, string name, GateMatrixSpec spec)
    {
        json.WriteStartObject(name);
        json.WriteString("kind", spec.Kind);
        json.WriteNumber("rank", spec.Rank);
        json.WriteEndObject();
    }

    private static GateMatrixInit ReadInit(JsonElement layer)
    {
        if (!layer.TryGetProperty("init", out JsonElement value))
        {
            return GateMatrixInit.VariancePreserving;
        }

        try
        {
            return NetworkSpec.ParseInit(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"'init': {error.Message}", error);
        }
    }

    private static GateMatrixSpec ReadSpec(JsonElement layer, string name)
    {
        JsonElement spec = Property(layer, name);
        return new GateMatrixSpec(String(spec, "kind"), Int(spec, "rank", 0, MaxSize));
    }

    private static JsonElement Property(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value
            : throw new InvalidDataException($"The configuration lacks '{name}'.");

    private static string String(JsonElement element, string name)
        => Property(element, name).GetString() ?? throw new InvalidDataException($"'{name}' must be a string.");

    private static int Int(JsonElement element, string name, int min, int max)
    {
        int value = Property(element, name).GetInt32();
        return value >= min && value <= max ? value
            : throw new InvalidDataException($"'{name}' is {value}; expected {min} to {max}.");
    }

    private static float Float(JsonElement element, string name)
    {
        float value = Property(element, name).GetSingle();
        return float.IsFinite(value) ? value : throw new InvalidDataException($"'{name}' must be finite.");
    }
}
