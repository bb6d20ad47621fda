using System;
namespace CompactRnn.Models;

/// <summary>
/// The bytes one inference path of an <see cref="LstmModel"/> holds, each part read from the arrays actually
/// allocated (length × element size; object headers not counted), not from a formula: see
/// <see cref="StreamingSession.Memory"/> and <see cref="LstmModel.BatchMemory"/>.
/// </summary>
/// <param name="ParameterBytes">The model's float32 parameters (its private copy).</param>
/// <param name="CacheBytes">The prepared cache the path reads, without Toeplitz-like dense forms (for example generator spectra).</param>
/// <param name="DenseFormBytes">The cache of the batch twin with Toeplitz-like dense forms (m·n floats per matrix and its own spectra), once a batch call has built it; 0 otherwise.</param>
/// <param name="TableBytes">Tables the gate matrices allocated for themselves (η tables) and every distinct FFT plan they use (twiddles, Bluestein chirps), plans shared with other models included.</param>
/// <param name="PackBytes">The streaming packs at the path's weight precision (a float32, bf16 or int8 copy of the dense matrices); 0 when the path streams from the parameters.</param>
/// <param name="BufferBytes">State and scratch of the path: a session's carried state and workspace, or the forward-only buffers <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/> keeps for its last shape.</param>
public sealed record RuntimeMemory(long ParameterBytes, long CacheBytes, long DenseFormBytes, long TableBytes, long PackBytes, long BufferBytes)
{
    /// <summary>The sum of all parts.</summary>
    public long TotalBytes => ParameterBytes + CacheBytes + DenseFormBytes + TableBytes + PackBytes + BufferBytes;

    /// <summary><see cref="TotalBytes"/> over <see cref="ParameterBytes"/>: how many times its parameter bytes the path holds.</summary>
    public double ParameterMultiple => (double)TotalBytes / ParameterBytes;
}
