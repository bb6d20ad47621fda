using System;
using System.IO;
using CompactRnn.Models;

namespace CompactRnn.Serialization;

/// <summary>
/// The file entry points of <see cref="LstmModel"/>: <c>model.Save(path)</c> and <c>LstmModel.Load(path)</c>,
/// as extension members so that the model (and everything below it) knows nothing of file formats, while
/// callers keep writing the calls on the model type (with <c>using CompactRnn.Serialization;</c>).
/// </summary>
public static class LstmModelFile
{
    /// <param name="model">The model to write (unused by the static <c>Load</c>).</param>
    extension(LstmModel model)
    {
        /// <summary>
        /// Writes the model atomically (temporary file, then rename) in the versioned, checksummed format of
        /// <c>docs/model-format.md</c>: the configuration as JSON (<see cref="NetworkOptionsJson"/>) and the
        /// flat parameter buffer.
        /// </summary>
        /// <param name="path">The file to create or replace.</param>
        public void Save(string path)
        {
            ArgumentNullException.ThrowIfNull(model);
            ModelFile.Write(path, NetworkOptionsJson.KindTag, NetworkOptionsJson.Write(model.Network.Options), model.Parameters);
        }

        /// <summary>
        /// Reads a model written by <c>Save</c>. The container (magic, version, sizes, checksum) is
        /// validated before anything is allocated from it; then the configuration, and the parameter count
        /// against the network it describes. Round trips are exact.
        /// </summary>
        /// <param name="path">The model file.</param>
        /// <exception cref="InvalidDataException">Anything is wrong with the file; the message names the path and the problem.</exception>
        public static LstmModel Load(string path)
        {
            ModelFileContents contents = ModelFile.Read(path, NetworkOptionsJson.KindTag);
            LstmNetworkOptions options;
            LstmNetwork network;
            try
            {
                options = NetworkOptionsJson.Read(contents.Configuration);
                network = new LstmNetwork(options);
            }
            catch (Exception error) when (error is InvalidDataException or ArgumentException or OverflowException)
            {
                throw new InvalidDataException($"'{path}': {error.Message}", error);
            }

            if (contents.Parameters.Length != network.ParameterCount)
            {
                throw new InvalidDataException(
                    $"'{path}': the configuration describes {network.ParameterCount} parameters but the file holds {contents.Parameters.Length}.");
            }

            return new LstmModel(network, contents.Parameters);
        }
    }
}
