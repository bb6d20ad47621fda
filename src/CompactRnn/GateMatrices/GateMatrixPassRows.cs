using System;

namespace CompactRnn.GateMatrices;

/// <summary>
/// The rows of every step of a backward session, kept by the caller unchanged until the session finishes: the forward
/// inputs [R, n] and the output gradients [R, m] of all R rows the steps will cover, in the same row order. A kind whose
/// parameter gradient needs nothing but these rows (dense: <c>dW += dYᵀ·X</c>) then takes it once over all of them, as one
/// deep product instead of one thin product per step.
/// </summary>
public readonly ref struct GateMatrixPassRows
{
    /// <summary>Bundles the kept rows.</summary>
    /// <param name="inputs">X of every step, [R, n].</param>
    /// <param name="outputGradients">dY of every step, [R, m]; complete by the time the session finishes.</param>
    public GateMatrixPassRows(ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients)
    {
        Inputs = inputs;
        OutputGradients = outputGradients;
    }

    /// <summary>X of every step, [R, n].</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary>dY of every step, [R, m].</summary>
    public ReadOnlySpan<float> OutputGradients { get; }

    /// <summary>Whether the caller keeps no rows (the default).</summary>
    public bool IsEmpty => Inputs.IsEmpty;
}
