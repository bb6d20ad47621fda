using System;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using CompactRnn.Models;

namespace CompactRnn.Serialization;

/// <summary>
/// Loads an <see cref="LstmModel"/> in the order that keeps a hostile file cheap: the container is
/// validated (magic, version, table, length, checksum) with a 64 KiB buffer; only the configuration
/// (≤ 1 MiB) is read and parsed with every limit of <see cref="LstmNetworkOptions"/>; the sizes it implies are
/// computed with checked 64-bit arithmetic (<see cref="NetworkFootprint"/>) and compared with the file's
/// float count and with <see cref="ModelLoadOptions.MaxBytes"/>; only then are the parameters read (into the
/// array the model keeps, and checked finite) and the network built and prepared, without Toeplitz-like dense forms.
/// </summary>
internal static class ModelLoader
{
    public static LstmModel Load(string path, ModelLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes, nameof(options));
        using SectionFileReader reader = SectionFileReader.Open(path);
        ModelFile.RequireKind(reader, NetworkOptionsJson.KindTag);
        byte[] configuration = reader.ReadBytes(ModelFile.ConfigurationSection, ModelFile.MaxConfigurationLength);
        LstmNetworkOptions network;
        NetworkFootprint footprint;
        try
        {
            network = NetworkOptionsJson.Read(configuration);
            footprint = NetworkFootprint.Measure(network);
        }
        catch (Exception error) when (error is InvalidDataException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"'{path}': {error.Message}", error);
        }

        if (!reader.Contains(ModelFile.ParametersSection))
        {
            throw SectionFileFormat.Invalid(path, $"the file has no section '{ModelFile.ParametersSection}'");
        }

        long stored = reader.Sections.First(s => s.Name == ModelFile.ParametersSection).Count;
        if (stored != footprint.ParameterCount)
        {
            throw new InvalidDataException(
                $"'{path}': the configuration describes {footprint.ParameterCount} parameters but the file holds {stored}.");
        }

        if (footprint.LoadBytes > options.MaxBytes)
        {
            throw new InvalidDataException(
                $"'{path}': the model needs up to {footprint.LoadBytes:N0} bytes once loaded (parameters, cache, FFT tables); the limit is {options.MaxBytes:N0} (ModelLoadOptions.MaxBytes).");
        }

        float[] values = reader.ReadFloats(ModelFile.ParametersSection);
        var built = new LstmNetwork(network, denseForms: false);
        if (!TensorPrimitives.IsFiniteAll(values))
        {
            // No writer of this library stores NaN or infinity (saves refuse them), so such a file was made or edited
            // elsewhere; loading it would only move the failure to the first inference.
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            string where = built.ParameterBlocks.Where(b => bad >= b.Offset && bad < b.Offset + b.Length).Select(b => $" ({b.Name}[{bad - b.Offset}])").FirstOrDefault() ?? "";
            throw new InvalidDataException($"'{path}': parameter {bad}{where} is {values[bad]}; a model file holds finite values only.");
        }

        return new LstmModel(built, values);
    }
}
