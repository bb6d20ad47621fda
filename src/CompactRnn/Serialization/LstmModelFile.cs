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
        /// Reads a model written by <c>Save</c> within the default budget (<see cref="ModelLoadOptions.DefaultMaxBytes"/>).
        /// The container (magic, version, sizes, checksum) is validated before anything is allocated from it; then
        /// the configuration with the limits of <see cref="LstmNetworkOptions"/>, and the sizes it implies
        /// (<see cref="NetworkFootprint"/>) against the file and the budget, before the parameters are read or the
        /// network is built. Round trips are exact.
        /// </summary>
        /// <param name="path">The model file.</param>
        /// <exception cref="InvalidDataException">Anything is wrong with the file; the message names the path and the problem.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static LstmModel Load(string path) => ModelLoader.Load(path, ModelLoadOptions.Default);

        /// <summary>Reads a model written by <c>Save</c> within the limits of <paramref name="options"/>.</summary>
        /// <param name="path">The model file.</param>
        /// <param name="options">The load budget.</param>
        /// <exception cref="InvalidDataException">Anything is wrong with the file, or it needs more than <see cref="ModelLoadOptions.MaxBytes"/>.</exception>
        public static LstmModel Load(string path, ModelLoadOptions options) => ModelLoader.Load(path, options);
    }
}
