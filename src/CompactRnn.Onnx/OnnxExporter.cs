using System;
using System.Globalization;
using System.IO;
using CompactRnn.Models;
using CompactRnn.Onnx.Graphs;

namespace CompactRnn.Onnx;

/// <summary>
/// Exports a <see cref="LstmModel"/> as an ONNX model (IR 8, opset 17) that ONNX Runtime and other ONNX
/// back-ends run: the LSTM/LSTMP stack and the output layer, for any sequence length and batch size,
/// from given states to final states.
/// </summary>
/// <remarks>
/// <para><b>Inputs</b>: <c>x</c> [T, B, n_in] (time-major, as <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/>), and per layer l
/// the state <c>r{l}</c> [B, n_r] and <c>c{l}</c> [B, n_c] (zeros for a fresh sequence). <b>Outputs</b>: <c>y</c>,
/// the logits [T, B, classes] (in <see cref="OutputMode.LastFrame"/> mode [B, classes] from frame T−1) or, without an
/// output layer, the top layer's r_t [T, B, n_r]; and per layer <c>r{l}_next</c>, <c>c{l}_next</c>, the states after
/// frame T−1. Streaming is a run of T = 1 with the states fed back.</para>
/// <para><b>Semantics</b>: docs/math.md §2 written with MatMul, Add, Split, Sigmoid, Tanh, Mul and Clip inside one
/// <c>Scan</c> per layer: peepholes (p_o reads the new cell), cell clip and projection clip exactly as the library
/// computes them. The ONNX <c>LSTM</c> operator is not used: it has no projection and its clip acts on
/// pre-activations (docs/math.md §4).</para>
/// <para><b>Compact kinds</b>: the stacked low-rank kind (<c>lowrank</c>) is written natively, as its factors U and V
/// (two MatMuls), and the shared low-rank kind is an LSTMP, so both files stay compact. The other kinds
/// (<c>lowrank-pergate</c>, <c>toeplitz</c>, <c>toeplitz-stacked</c>) are written as their dense equivalents
/// (<see cref="GateMatrices.GateMatrix.ToDense"/>): outputs match the library to float rounding, but those matrices
/// take dense space in the file. Sequence lengths inside a batch must be equal;
/// pad and read each sequence's own last frame otherwise.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The input features, [T, B, n_in].</summary>
    public const string InputName = "x";

    /// <summary>The network output: logits, or the top layer's r_t without an output layer.</summary>
    public const string OutputName = "y";

    /// <summary>The name of layer <paramref name="layer"/>'s output-state input r, [B, n_r].</summary>
    public static string OutputStateName(int layer) => string.Create(CultureInfo.InvariantCulture, $"r{layer}");

    /// <summary>The name of layer <paramref name="layer"/>'s cell-state input c, [B, n_c].</summary>
    public static string CellStateName(int layer) => string.Create(CultureInfo.InvariantCulture, $"c{layer}");

    /// <summary>The name of layer <paramref name="layer"/>'s output state after the last frame.</summary>
    public static string NextOutputStateName(int layer) => OutputStateName(layer) + "_next";

    /// <summary>The name of layer <paramref name="layer"/>'s cell state after the last frame.</summary>
    public static string NextCellStateName(int layer) => CellStateName(layer) + "_next";

    /// <summary>The ONNX model bytes of <paramref name="model"/>.</summary>
    /// <param name="model">A trained or loaded model.</param>
    /// <returns>A serialised ONNX ModelProto.</returns>
    public static byte[] Export(LstmModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return OnnxModelWriter.Write(DeploymentGraph.Build(model));
    }

    /// <summary>
    /// Writes the ONNX model of <paramref name="model"/> to <paramref name="path"/> atomically: a temporary file in
    /// the same folder, flushed, then renamed over the destination.
    /// </summary>
    /// <param name="model">A trained or loaded model.</param>
    /// <param name="path">The destination file; its folder must exist.</param>
    public static void Save(LstmModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder of '{path}' does not exist: {folder}");
        }

        if (Directory.Exists(full))
        {
            throw new ArgumentException($"'{path}' is a folder; give a file name.", nameof(path));
        }

        byte[] bytes = Export(model);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
