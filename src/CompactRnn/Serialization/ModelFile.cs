using System;
using System.IO;
using System.Numerics.Tensors;

namespace CompactRnn.Serialization;

/// <summary>
/// The versioned binary model file: a kind tag, the model's configuration (opaque bytes, UTF-8 JSON by
/// convention) and its flat float parameter buffer, protected by a CRC-32C. The byte layout is in
/// <c>docs/model-format.md</c>: a header with magic <c>CRNNMODL</c>, format version and section table,
/// the sections <c>configuration</c> and <c>parameters</c>, and the checksum.
/// </summary>
/// <remarks>
/// <para><b>Writes</b> are atomic: a temporary file in the same directory is flushed to disk and then
/// renamed over the target, so readers see the old file or the new one, never a mix.</para>
/// <para><b>Reads</b> validate before allocating: magic, version, header and section limits, the file
/// length implied by the section table, and the checksum (in a streaming pass); only then are the
/// configuration and parameters allocated at their validated sizes. Any mismatch throws
/// <see cref="InvalidDataException"/> naming the path and the problem. Data is never executed or used
/// to select types. Sections other than the two above (as in a checkpoint) are ignored, so a checkpoint
/// can also be read as a model file. Checking the parameter count against the configuration is the
/// model's job.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>Name of the configuration section.</summary>
    public const string ConfigurationSection = "configuration";

    /// <summary>Name of the parameter section.</summary>
    public const string ParametersSection = "parameters";

    /// <summary>Largest configuration accepted (1 MiB).</summary>
    public const int MaxConfigurationLength = 1024 * 1024;

    /// <summary>Writes a model file atomically, replacing any existing file at <paramref name="path"/>.</summary>
    /// <param name="path">Target path; its directory must exist.</param>
    /// <param name="kindTag">A non-empty tag naming the model kind, at most 256 UTF-8 bytes, e.g. <c>CompactRnn.LstmStack</c>.</param>
    /// <param name="configuration">Configuration bytes, at most <see cref="MaxConfigurationLength"/>.</param>
    /// <param name="parameters">The flat parameter buffer, stored as little-endian float32; every value finite.</param>
    /// <exception cref="ArgumentException">The configuration is too long, or a parameter is NaN or ±∞ (a diverged model is never written).</exception>
    public static void Write(string path, string kindTag, ReadOnlySpan<byte> configuration, ReadOnlySpan<float> parameters)
        => WriteAnnotated(path, kindTag, configuration, parameters, annotations: []);

    /// <summary>Writes a model file with an <see cref="ModelAnnotations.Section"/> section after the parameters (none when <paramref name="annotations"/> is empty).</summary>
    internal static void WriteAnnotated(string path, string kindTag, ReadOnlySpan<byte> configuration, ReadOnlySpan<float> parameters, ReadOnlySpan<byte> annotations)
    {
        RequireConfiguration(configuration.Length, nameof(configuration));
        RequireFinite(parameters, nameof(parameters));
        SectionDescriptor[] sections = annotations.IsEmpty
            ?
            [
                new(ConfigurationSection, SectionElementType.Bytes, configuration.Length),
                new(ParametersSection, SectionElementType.Float32, parameters.Length),
            ]
            :
            [
                new(ConfigurationSection, SectionElementType.Bytes, configuration.Length),
                new(ParametersSection, SectionElementType.Float32, parameters.Length),
                new(ModelAnnotations.Section, SectionElementType.Bytes, annotations.Length),
            ];
        using var writer = new SectionFileWriter(path, kindTag, sections);
        writer.WriteBytes(configuration);
        writer.WriteFloats(parameters);
        if (!annotations.IsEmpty)
        {
            writer.WriteBytes(annotations);
        }

        writer.Commit();
    }

    /// <summary>Reads and validates a model file (or the model part of a checkpoint).</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The kind tag, configuration bytes and parameters.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names the path and the problem.</exception>
    public static ModelFileContents Read(string path)
    {
        using SectionFileReader reader = SectionFileReader.Open(path);
        return ReadContents(reader);
    }

    /// <summary>Reads a model file and checks that its kind tag is <paramref name="expectedKindTag"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectedKindTag">The kind tag the caller can load.</param>
    /// <exception cref="InvalidDataException">The file is invalid or holds another kind of model.</exception>
    public static ModelFileContents Read(string path, string expectedKindTag)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedKindTag);
        using SectionFileReader reader = SectionFileReader.Open(path);
        RequireKind(reader, expectedKindTag);
        return ReadContents(reader);
    }

    /// <summary>Reads the configuration and parameter sections of an open, validated file.</summary>
    internal static ModelFileContents ReadContents(SectionFileReader reader) =>
        new(reader.KindTag, reader.ReadBytes(ConfigurationSection, MaxConfigurationLength), reader.ReadFloats(ParametersSection));

    /// <summary>Throws when the file's kind tag is not <paramref name="expectedKindTag"/>.</summary>
    internal static void RequireKind(SectionFileReader reader, string expectedKindTag)
    {
        if (!string.Equals(reader.KindTag, expectedKindTag, StringComparison.Ordinal))
        {
            throw SectionFileFormat.Invalid(reader.Path, $"it holds a '{reader.KindTag}', expected a '{expectedKindTag}'");
        }
    }

    /// <summary>Throws when a value to be saved is NaN or ±∞, naming its index.</summary>
    internal static void RequireFinite(ReadOnlySpan<float> values, string parameterName)
    {
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return;
        }

        int bad = 0;
        while (float.IsFinite(values[bad]))
        {
            bad++;
        }

        throw new ArgumentException($"Refusing to save: parameter {bad} is {values[bad]} (did training diverge?).", parameterName);
    }

    /// <summary>Throws when a configuration is longer than <see cref="MaxConfigurationLength"/>.</summary>
    internal static void RequireConfiguration(int length, string parameterName)
    {
        if (length > MaxConfigurationLength)
        {
            throw new ArgumentException($"The configuration is {length} bytes; the limit is {MaxConfigurationLength}.", parameterName);
        }
    }
}
