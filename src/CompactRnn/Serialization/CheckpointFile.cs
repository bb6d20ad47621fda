using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CompactRnn.Serialization;

/// <summary>
/// A training checkpoint: the model file's sections plus the optimiser (kind, step count and every state
/// slot) and opaque trainer state (UTF-8 JSON by convention: epoch, best validation loss, seed …), in the
/// same validated, checksummed, atomically written container as <see cref="ModelFile"/>. A checkpoint
/// can be read with <see cref="ModelFile.Read(string)"/> to get just the model.
/// </summary>
/// <remarks>
/// Sections, in order: <c>configuration</c> (bytes), <c>parameters</c> (float32), <c>trainer-state</c>
/// (bytes, ≤ 1 MiB), <c>optimizer-kind</c> (bytes, UTF-8, ≤ 64), <c>optimizer-step</c> (8 bytes, int64
/// little-endian), then one float32 section <c>optimizer.&lt;slot&gt;</c> per entry of
/// <see cref="OptimizerState.SlotNames"/>, e.g. <c>optimizer.adam.m</c>.
/// </remarks>
public static class CheckpointFile
{
    /// <summary>Name of the trainer-state section.</summary>
    public const string TrainerStateSection = "trainer-state";

    /// <summary>Name of the optimiser-kind section.</summary>
    public const string OptimizerKindSection = "optimizer-kind";

    /// <summary>Name of the optimiser step-count section.</summary>
    public const string OptimizerStepSection = "optimizer-step";

    /// <summary>Prefix of the optimiser state sections.</summary>
    public const string OptimizerStatePrefix = "optimizer.";

    /// <summary>Name of the optional best-parameters section (float32, the best epoch's parameters, so a resumed run keeps the same model selection).</summary>
    public const string BestParametersSection = "best-parameters";

    /// <summary>Largest trainer state accepted (1 MiB).</summary>
    public const int MaxTrainerStateLength = 1024 * 1024;

    private const int MaxOptimizerKindLength = 64;

    /// <summary>Writes a checkpoint atomically, replacing any existing file at <paramref name="path"/>.</summary>
    /// <param name="path">Target path; its directory must exist.</param>
    /// <param name="kindTag">The model kind tag (as for <see cref="ModelFile.Write"/>).</param>
    /// <param name="configuration">Model configuration bytes, at most <see cref="ModelFile.MaxConfigurationLength"/>.</param>
    /// <param name="parameters">The flat parameter buffer.</param>
    /// <param name="optimizer">The optimiser's exported state (kind, step count, slots), for <paramref name="parameters"/>.Length parameters.</param>
    /// <param name="trainerState">Opaque trainer state, at most <see cref="MaxTrainerStateLength"/> bytes.</param>
    /// <param name="bestParameters">The best epoch's parameters (as many as <paramref name="parameters"/>), or empty for none.</param>
    public static void Write(
        string path, string kindTag, ReadOnlySpan<byte> configuration, ReadOnlySpan<float> parameters, OptimizerState optimizer, ReadOnlySpan<byte> trainerState,
        ReadOnlySpan<float> bestParameters = default)
    {
        if (!bestParameters.IsEmpty && bestParameters.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected {parameters.Length} best parameters but got {bestParameters.Length}.", nameof(bestParameters));
        }

        ArgumentNullException.ThrowIfNull(optimizer);
        ModelFile.RequireConfiguration(configuration.Length, nameof(configuration));
        if (optimizer.ParameterCount != parameters.Length)
        {
            throw new ArgumentException($"The optimiser was built for {optimizer.ParameterCount} parameters but {parameters.Length} are saved.", nameof(optimizer));
        }

        if (trainerState.Length > MaxTrainerStateLength)
        {
            throw new ArgumentException($"The trainer state is {trainerState.Length} bytes; the limit is {MaxTrainerStateLength}.", nameof(trainerState));
        }

        byte[] kind = Encoding.UTF8.GetBytes(optimizer.Kind);
        Span<byte> step = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(step, optimizer.StepCount);
        IReadOnlyList<string> stateNames = optimizer.SlotNames;
        var sections = new SectionDescriptor[5 + stateNames.Count + (bestParameters.IsEmpty ? 0 : 1)];
        sections[0] = new(ModelFile.ConfigurationSection, SectionElementType.Bytes, configuration.Length);
        sections[1] = new(ModelFile.ParametersSection, SectionElementType.Float32, parameters.Length);
        sections[2] = new(TrainerStateSection, SectionElementType.Bytes, trainerState.Length);
        sections[3] = new(OptimizerKindSection, SectionElementType.Bytes, kind.Length);
        sections[4] = new(OptimizerStepSection, SectionElementType.Bytes, step.Length);
        for (int i = 0; i < stateNames.Count; i++)
        {
            sections[5 + i] = new(OptimizerStatePrefix + stateNames[i], SectionElementType.Float32, optimizer.ParameterCount);
        }

        if (!bestParameters.IsEmpty)
        {
            sections[^1] = new(BestParametersSection, SectionElementType.Float32, bestParameters.Length);
        }

        using var writer = new SectionFileWriter(path, kindTag, sections);
        writer.WriteBytes(configuration);
        writer.WriteFloats(parameters);
        writer.WriteBytes(trainerState);
        writer.WriteBytes(kind);
        writer.WriteBytes(step);
        for (int i = 0; i < stateNames.Count; i++)
        {
            writer.WriteFloats(optimizer.GetSlot(stateNames[i]));
        }

        if (!bestParameters.IsEmpty)
        {
            writer.WriteFloats(bestParameters);
        }

        writer.Commit();
    }

    /// <summary>Reads and validates a checkpoint.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint; the message names the path and the problem.</exception>
    public static Checkpoint Read(string path)
    {
        using SectionFileReader reader = SectionFileReader.Open(path);
        if (!reader.Contains(OptimizerKindSection))
        {
            throw SectionFileFormat.Invalid(reader.Path, $"it has no '{OptimizerKindSection}' section, so it is a model file, not a checkpoint");
        }

        ModelFileContents model = ModelFile.ReadContents(reader);
        byte[] trainerState = reader.ReadBytes(TrainerStateSection, MaxTrainerStateLength);
        string optimizerKind = DecodeKind(reader);
        byte[] step = reader.ReadBytes(OptimizerStepSection, sizeof(long));
        long stepCount = step.Length == sizeof(long) ? BinaryPrimitives.ReadInt64LittleEndian(step) : -1;
        if (stepCount is < 0 or > int.MaxValue)
        {
            throw SectionFileFormat.Invalid(reader.Path, $"section '{OptimizerStepSection}' does not hold a step count in [0, {int.MaxValue}]");
        }

        var state = new List<KeyValuePair<string, float[]>>();
        foreach (SectionDescriptor section in reader.Sections)
        {
            if (section.Name.StartsWith(OptimizerStatePrefix, StringComparison.Ordinal))
            {
                float[] values = reader.ReadFloats(section.Name);
                if (values.Length != model.Parameters.Length)
                {
                    throw SectionFileFormat.Invalid(reader.Path, $"optimiser state '{section.Name}' has {values.Length} floats for {model.Parameters.Length} parameters");
                }

                state.Add(new(section.Name[OptimizerStatePrefix.Length..], values));
            }
        }

        OptimizerState optimizer;
        try
        {
            optimizer = new OptimizerState(optimizerKind, (int)stepCount, model.Parameters.Length, state);
        }
        catch (ArgumentException error)
        {
            throw SectionFileFormat.Invalid(reader.Path, $"the optimiser state is not usable: {error.Message}");
        }

        float[]? best = null;
        if (reader.Contains(BestParametersSection))
        {
            best = reader.ReadFloats(BestParametersSection);
            if (best.Length != model.Parameters.Length)
            {
                throw SectionFileFormat.Invalid(reader.Path, $"section '{BestParametersSection}' has {best.Length} floats for {model.Parameters.Length} parameters");
            }
        }

        return new Checkpoint(model, trainerState, optimizer, best);
    }

    private static string DecodeKind(SectionFileReader reader)
    {
        byte[] bytes = reader.ReadBytes(OptimizerKindSection, MaxOptimizerKindLength);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw SectionFileFormat.Invalid(reader.Path, $"section '{OptimizerKindSection}' is not valid UTF-8");
        }
    }
}
