using System;

namespace CompactRnn.Models;

/// <summary>
/// Frame-by-frame (streaming) inference over one sequence: the state (r, c of every layer) is carried
/// between <see cref="Step"/> calls. Zero bytes are allocated per step; one stream per thread, any
/// number of streams per <see cref="LstmModel"/>. With <see cref="WeightPrecision.BFloat16"/> the dense
/// weights are read from the model's bf16 packs (see <see cref="LstmModel.CreateSession(WeightPrecision)"/>);
/// with float32, a network with a layer whose W_x and W_r are both dense reads the model's float32 packs
/// ([W_x | W_r] as one stream, see <see cref="LstmModel.CreateSession()"/>).
/// </summary>
public sealed class StreamingSession
{
    private readonly LstmModel _model;
    private readonly LstmNetworkTape? _tape;
    private readonly PackedStreamingStep? _packed;

    internal StreamingSession(LstmModel model, WeightPrecision precision)
    {
        _model = model;
        Precision = precision;
        if (precision != WeightPrecision.Float32 || PackedNetworkWeights.HasCombinedGates(model.Network))
        {
            _packed = new PackedStreamingStep(model, precision);
        }
        else
        {
            _tape = model.Network.CreateTape(maxSteps: 1, batchSize: 1);
        }
    }

    /// <summary>
    /// What this stream holds at run time, read from the arrays actually allocated: the model's parameters, cache
    /// (no Toeplitz-like dense forms: streaming never builds them), tables and FFT plans, the packs at this session's
    /// precision when it streams from them, and this session's own state and scratch.
    /// </summary>
    public RuntimeMemory Memory
        => _model.StreamingMemory(_packed is null ? 0 : _model.PackedWeights(Precision).Bytes, _packed?.BufferBytes ?? _tape!.AllocatedBytes);

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

        if (_packed is not null)
        {
            _packed.Step(frame, output[..OutputSize]);
            return;
        }

        LstmNetworkTape tape = _tape!;
        network.Forward(_model.Parameters, _model.Cache, frame, 1, [], tape, training: false);
        ReadOnlySpan<float> result = network.OutputMatrix is null ? tape.Layers[^1].Outputs(1) : tape.Logits;
        result[..OutputSize].CopyTo(output);
        tape.CarryFinalState(1);
    }

    /// <summary>Returns to the zero state, to start a new utterance.</summary>
    public void Reset()
    {
        _tape?.ResetState();
        _packed?.Reset();
    }
}
