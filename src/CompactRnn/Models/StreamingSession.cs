using System;

namespace CompactRnn.Models;

/// <summary>
/// Frame-by-frame (streaming) inference over one sequence: the state (r, c of every layer) is carried
/// between <see cref="Step"/> calls. Zero bytes are allocated per step; one stream per thread, any
/// number of streams per <see cref="LstmModel"/>. With <see cref="WeightPrecision.BFloat16"/> or
/// <see cref="WeightPrecision.Int8"/> the dense weights are read from the model's packs at that precision (see
/// <see cref="LstmModel.CreateSession(WeightPrecision)"/>); with float32, a network with a layer whose W_x and W_r are
/// both dense reads the model's float32 packs ([W_x | W_r] as one stream, see <see cref="LstmModel.CreateSession()"/>),
/// and any other network reads its parameters in place (no copy). Compact matrices always run their own products, on the
/// model's forward-only inference network (Toeplitz-like matrices with short inputs in their circulant form).
/// </summary>
public sealed class StreamingSession
{
    private readonly LstmModel _model;
    private readonly PackedStreamingStep _step;

    internal StreamingSession(LstmModel model, WeightPrecision precision)
    {
        _model = model;
        Precision = precision;
        _step = new PackedStreamingStep(model, precision);
    }

    /// <summary>
    /// What this stream holds at run time, read from the arrays actually allocated: the model's parameters, cache
    /// (no Toeplitz-like dense forms: streaming never builds them), tables and FFT plans, the packs at this session's
    /// precision when it streams from them, and this session's own state and scratch.
    /// </summary>
    public RuntimeMemory Memory => _model.StreamingMemory(_step.PackBytes, _step.BufferBytes);

    /// <summary>How this session stores the weights it streams.</summary>
    public WeightPrecision Precision { get; }

    /// <summary>The number of values each <see cref="Step"/> writes (classes, or n_r of the top layer).</summary>
    public int OutputSize => _model.Network.OutputSize;

    /// <summary>Consumes one frame and writes the output for it (logits, or r_t without an output layer).</summary>
    /// <param name="frame">n_in values.</param>
    /// <param name="output">At least <see cref="OutputSize"/> values, overwritten.</param>
    public void Step(ReadOnlySpan<float> frame, Span<float> output)
    {
        LstmNetwork network = _model.Network;
        if (frame.Length != network.Options.InputSize)
        {
            throw new ArgumentException($"Expected a frame of {network.Options.InputSize} features but got {frame.Length}.", nameof(frame));
        }

        if (output.Length < OutputSize)
        {
            throw new ArgumentException($"Expected at least {OutputSize} floats but got {output.Length}.", nameof(output));
        }

        _step.Step(frame, output[..OutputSize]);
    }

    /// <summary>Returns to the zero state, to start a new utterance.</summary>
    public void Reset() => _step.Reset();
}
