using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <content>Forward and backward passes of the whole stack.</content>
public sealed partial class LstmNetwork
{
    /// <summary>
    /// Runs the stack over a time-major minibatch from the initial state held in the tape and writes
    /// <see cref="LstmNetworkTape.Logits"/> (with an output layer).
    /// </summary>
    /// <param name="parameters">The flat parameter buffer.</param>
    /// <param name="cache">The prepared cache (<see cref="Prepare"/>).</param>
    /// <param name="inputs">[T, B, n_in], time-major.</param>
    /// <param name="steps">T; from 1 to the tape's capacity.</param>
    /// <param name="lengths">Valid length of each sequence [B] (padding at the end), or empty for all T.</param>
    /// <param name="tape">The tape to record into; its batch size is B.</param>
    /// <param name="training">Applies dropout between layers when true.</param>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int steps,
        ReadOnlySpan<int> lengths, LstmNetworkTape tape, bool training)
    {
        ValidatePass(parameters, cache, tape, steps);
        int batch = tape.BatchSize;
        ReadOnlySpan<float> x = inputs;
        for (int l = 0; l < Layers.Count; l++)
        {
            if (l > 0 && Options.Dropout > 0 && training)
            {
                x = ApplyDropout(x, tape.DropoutMasks[l].AsSpan(0, x.Length), tape.DroppedInputs[l].AsSpan(0, x.Length), tape.DropoutRandom);
            }

            Layers[l].Forward(LayerParameters(parameters, l), LayerCache(cache, l), x, steps, lengths, tape.Layers[l]);
            x = tape.Layers[l].Outputs(steps);
        }

        if (OutputMatrix is null)
        {
            return;
        }

        // z = W_out r + b_out, over every frame or over each sequence's last valid frame.
        int rows = Options.OutputMode == OutputMode.LastFrame ? batch : steps * batch;
        if (Options.OutputMode == OutputMode.LastFrame)
        {
            tape.Layers[^1].FinalOutput(steps).CopyTo(tape.LastOutputs); // padded steps carry r, so this is r at t = length − 1
            x = tape.LastOutputs;
        }

        Span<float> logits = tape.LogitsBuffer.AsSpan(0, rows * OutputSize);
        ReadOnlySpan<float> outputBias = parameters.Slice(_outputOffset + OutputMatrix.ParameterCount, OutputSize);
        for (int row = 0; row < rows; row++)
        {
            outputBias.CopyTo(logits.Slice(row * OutputSize, OutputSize));
        }

        OutputMatrix.Forward(new GateMatrixWeights(parameters.Slice(_outputOffset, OutputMatrix.ParameterCount), []), x, rows, logits, tape.OutputWorkspace);
    }

    /// <summary>
    /// Backpropagation through the output layer, then through time layer by layer from the top,
    /// for the last <see cref="Forward"/>. Gradients stop at the initial state (truncated BPTT).
    /// </summary>
    /// <param name="parameters">As in the forward pass.</param>
    /// <param name="cache">As in the forward pass.</param>
    /// <param name="inputs">As in the forward pass.</param>
    /// <param name="steps">As in the forward pass.</param>
    /// <param name="lengths">As in the forward pass.</param>
    /// <param name="tape">The tape of the forward pass.</param>
    /// <param name="dOutputs">∂L/∂logits in the logits' layout; without an output layer ∂L/∂r_t of the top layer [T, B, n_r].</param>
    /// <param name="dParameters">The flat gradient buffer; added to.</param>
    /// <param name="dInputs">∂L/∂x [T, B, n_in]; added to; empty to skip.</param>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int steps,
        ReadOnlySpan<int> lengths, LstmNetworkTape tape, ReadOnlySpan<float> dOutputs, Span<float> dParameters, Span<float> dInputs)
    {
        ValidatePass(parameters, cache, tape, steps);
        SpanGuard.RequireLength(dParameters.Length, ParameterCount, nameof(dParameters));
        int batch = tape.BatchSize;
        int top = Layers.Count - 1;
        Span<float> dTop = tape.OutputGradients[top].AsSpan(0, steps * batch * Layers[top].OutputSize);
        ReadOnlySpan<float> dFinalOutput = [];
        if (OutputMatrix is null)
        {
            SpanGuard.RequireLength(dOutputs.Length, dTop.Length, nameof(dOutputs));
            dOutputs.CopyTo(dTop);
        }
        else
        {
            bool lastFrame = Options.OutputMode == OutputMode.LastFrame;
            int rows = lastFrame ? batch : steps * batch;
            SpanGuard.RequireLength(dOutputs.Length, rows * OutputSize, nameof(dOutputs));
            Span<float> dOutputWeights = dParameters.Slice(_outputOffset, OutputMatrix.ParameterCount);
            Span<float> dOutputBias = dParameters.Slice(_outputOffset + OutputMatrix.ParameterCount, OutputSize);
            for (int row = 0; row < rows; row++)
            {
                TensorPrimitives.Add(dOutputBias, dOutputs.Slice(row * OutputSize, OutputSize), dOutputBias); // db_out += dz
            }

            dTop.Clear();
            ReadOnlySpan<float> topOutputs = lastFrame ? tape.LastOutputs : tape.Layers[top].Outputs(steps);
            Span<float> dTopRows = lastFrame ? tape.LastOutputGradients : dTop;
            dTopRows.Clear();
            OutputMatrix.Backward(new GateMatrixWeights(parameters.Slice(_outputOffset, OutputMatrix.ParameterCount), []),
                topOutputs, dOutputs, rows, dOutputWeights, dTopRows, tape.OutputWorkspace); // dW_out += dz rᵀ; dr = W_outᵀ dz
            if (lastFrame)
            {
                dFinalOutput = tape.LastOutputGradients; // enters through the final state, flows back over padding
            }
        }

        for (int l = top; l >= 0; l--)
        {
            bool dropped = l > 0 && Options.Dropout > 0;
            ReadOnlySpan<float> x = l == 0 ? inputs
                : dropped ? tape.DroppedInputs[l].AsSpan(0, steps * batch * Layers[l].InputSize)
                : tape.Layers[l - 1].Outputs(steps);
            Span<float> dx = l == 0 ? dInputs : tape.OutputGradients[l - 1].AsSpan(0, steps * batch * Layers[l].InputSize);
            if (l > 0)
            {
                dx.Clear();
            }

            Layers[l].Backward(LayerParameters(parameters, l), LayerCache(cache, l), x, steps, lengths, tape.Layers[l],
                new LstmLayerOutputGradients
                {
                    Outputs = tape.OutputGradients[l].AsSpan(0, steps * batch * Layers[l].OutputSize),
                    FinalOutput = l == top ? dFinalOutput : [],
                },
                new LstmLayerInputGradients { Parameters = LayerParameters(dParameters, l), Inputs = dx });
            if (dropped)
            {
                TensorPrimitives.Multiply(dx, tape.DropoutMasks[l].AsSpan(0, dx.Length), dx); // through the dropout mask
            }
        }
    }

    private ReadOnlySpan<float> ApplyDropout(ReadOnlySpan<float> x, Span<float> mask, Span<float> dropped, Random random)
    {
        // Inverted dropout: kept units are scaled by 1/(1 − p), so inference needs no rescaling.
        float keepScale = 1f / (1f - Options.Dropout);
        for (int k = 0; k < mask.Length; k++)
        {
            mask[k] = random.NextDouble() < Options.Dropout ? 0f : keepScale;
        }

        TensorPrimitives.Multiply(x, mask, dropped);
        return dropped;
    }

    private void ValidatePass(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, LstmNetworkTape tape, int steps)
    {
        ArgumentNullException.ThrowIfNull(tape);
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireLength(cache.Length, CacheSize, nameof(cache));
        if (tape.Layers.Length != Layers.Count)
        {
            throw new ArgumentException("The tape was created by a different network.", nameof(tape));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, tape.MaxSteps);
    }
}
