using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using CompactRnn.Models;

namespace CompactRnn.Serialization;

/// <summary>
/// Free-form notes a model file carries for its users, e.g. which feature normalisation the model expects: a
/// small map of names to strings in the optional <c>annotations</c> section (UTF-8 JSON object of strings,
/// at most <see cref="MaxLength"/> bytes). Older readers ignore the section; a file without annotations has no
/// such section and is byte for byte what earlier versions wrote.
/// </summary>
public static class ModelAnnotations
{
    /// <summary>Name of the section.</summary>
    public const string Section = "annotations";

    /// <summary>Largest annotations section accepted (64 KiB).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Writes <paramref name="model"/> like <c>model.Save(path)</c>, with <paramref name="annotations"/> (none: no section).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="annotations">Names (1 to 128 characters) to values; at most <see cref="MaxLength"/> bytes as JSON.</param>
    /// <exception cref="ArgumentException">A name is empty or too long, or the annotations exceed <see cref="MaxLength"/>.</exception>
    public static void Save(LstmModel model, string path, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelFile.WriteAnnotated(path, NetworkOptionsJson.KindTag, NetworkOptionsJson.Write(model.Network.Options), model.Parameters, Encode(annotations));
    }

    /// <summary>Reads the annotations of a model file (empty when it has none), after the container's validation and checksum.</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="InvalidDataException">The file or its annotations are malformed; the message names the path.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using SectionFileReader reader = SectionFileReader.Open(path);
        if (!reader.Contains(Section))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        try
        {
            return Decode(reader.ReadBytes(Section, MaxLength));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or ArgumentException)
        {
            throw SectionFileFormat.Invalid(path, $"section '{Section}' is not a JSON object of strings: {error.Message}");
        }
    }

    /// <summary>The section's bytes; empty for no annotations.</summary>
    internal static byte[] Encode(IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        if (annotations.Count == 0)
        {
            return [];
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach ((string name, string value) in annotations)
            {
                RequireName(name, nameof(annotations));
                json.WriteString(name, value ?? throw new ArgumentException($"Annotation '{name}' has no value.", nameof(annotations)));
            }

            json.WriteEndObject();
        }

        return stream.Length <= MaxLength ? stream.ToArray()
            : throw new ArgumentException($"The annotations take {stream.Length} bytes; the limit is {MaxLength}.", nameof(annotations));
    }

    private static Dictionary<string, string> Decode(byte[] utf8)
    {
        using JsonDocument document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowDuplicateProperties = false });
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            RequireName(property.Name, "annotations");
            annotations.Add(property.Name, property.Value.GetString() ?? throw new ArgumentException($"Annotation '{property.Name}' is null."));
        }

        return annotations;
    }

    private static void RequireName(string name, string parameterName)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128)
        {
            throw new ArgumentException($"Annotation name '{name}' must have 1 to 128 characters.", parameterName);
        }
    }
}
