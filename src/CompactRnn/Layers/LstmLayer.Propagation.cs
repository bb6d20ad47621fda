using System;
using System.Numerics.Tensors;

namespace CompactRnn.Layers;

/// <content>Forward and backward passes through time.</content>
public sealed partial class LstmLayer
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps over a time-major minibatch, recording the tape. The initial
    /// state must already be in <see cref="LstmLayerTape.InitialOutput"/> and <see cref="LstmLayerTape.InitialCell"/>.
    /// Sequence b is valid for t &lt; lengths[b] (padding at the end); at padded steps the state is carried
    /// unchanged, so the final state of each sequence is its state after its last valid frame.
    /// </summary>
    /// <param name="parameters">The layer's parameter slice.</param>
    /// <param name="cache">The layer's prepared cache slice.</param>
    /// <param name="inputs">x_t for all steps, [T, B, n_in].</param>
    /// <param name="steps">T; from 1 to the tape's capacity.</param>
    /// <param name="lengths">Per-sequence valid lengths [B], each from 0 to T; empty means all T.</param>
    /// <param name="tape">The tape to record into.</param>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int steps,
        ReadOnlySpan<int> lengths, LstmLayerTape tape)
    {
        int batch = ValidatePass(parameters, cache, inputs, steps, lengths, tape);
        int gateWidth = 4 * HiddenSize, n = HiddenSize, r = OutputSize;
        ReadOnlySpan<float> bias = parameters.Slice(_biasOffset, gateWidth);
        ReadOnlySpan<float> peepholes = Peepholes(parameters);
        Span<float> allGates = tape.Gates.AsSpan(0, steps * batch * gateWidth);

        // a_t = b + W_x x_t for every t at once: the input product does not depend on the recurrence.
        for (int row = 0; row < steps * batch; row++)
        {
            bias.CopyTo(allGates.Slice(row * gateWidth, gateWidth));
        }

        InputMatrix.Forward(InputWeights(parameters, cache), inputs, steps * batch, allGates, tape.Workspace);

        for (int t = 0; t < steps; t++)
        {
            Span<float> gates = allGates.Slice(t * batch * gateWidth, batch * gateWidth);                 // [B, 4n_c]
            ReadOnlySpan<float> previousOutput = tape.Output.AsSpan(t * batch * r, batch * r);           // r_{t−1}
            RecurrentMatrix.Forward(RecurrentWeights(parameters, cache), previousOutput, batch, gates, tape.Workspace); // a += W_r r_{t−1}
            Span<float> cellOutputs = HasProjection
                ? tape.CellOutput.AsSpan(t * batch * n, batch * n)
                : tape.Output.AsSpan((t + 1) * batch * r, batch * r);                                      // m_t
            for (int b = 0; b < batch; b++)
            {
                LstmCellMath.Forward(
                    gates.Slice(b * gateWidth, gateWidth),
                    peepholes,
                    tape.Cell.AsSpan(((t * batch) + b) * n, n),
                    Options.CellClip,
                    tape.CellBeforeClip.AsSpan(((t * batch) + b) * n, n),
                    tape.Cell.AsSpan((((t + 1) * batch) + b) * n, n),
                    tape.TanhCell.AsSpan(((t * batch) + b) * n, n),
                    cellOutputs.Slice(b * n, n));
            }

            if (HasProjection)
            {
                Span<float> projected = tape.ProjectionBeforeClip.AsSpan(t * batch * r, batch * r);
                projected.Clear();
                ProjectionMatrix!.Forward(ProjectionWeights(parameters, cache), cellOutputs, batch, projected, tape.Workspace); // r̂ = W_p m
                Span<float> output = tape.Output.AsSpan((t + 1) * batch * r, batch * r);
                if (Options.ProjectionClip > 0)
                {
                    TensorPrimitives.Clamp(projected, -Options.ProjectionClip, Options.ProjectionClip, output); // r = clip(r̂)
                }
                else
                {
                    projected.CopyTo(output);
                }
            }

            CarryStateOverPadding(tape, lengths, t, batch);
        }
    }

    /// <summary>
    /// Backpropagation through time for the last <see cref="Forward"/>, in reverse step order, mirroring
    /// it line by line (docs/math.md §2 backward step). Accumulates into <see cref="LstmLayerInputGradients.Parameters"/> and
    /// <see cref="LstmLayerInputGradients.Inputs"/>; gradients stop at the initial state, whose gradient is returned in
    /// <see cref="LstmLayerInputGradients.InitialOutput"/> and <see cref="LstmLayerInputGradients.InitialCell"/> (overwritten).
    /// </summary>
    /// <param name="parameters">The layer's parameter slice (as in the forward pass).</param>
    /// <param name="cache">The layer's prepared cache slice.</param>
    /// <param name="inputs">x_t for all steps, [T, B, n_in], as in the forward pass.</param>
    /// <param name="steps">T, as in the forward pass.</param>
    /// <param name="lengths">As in the forward pass.</param>
    /// <param name="tape">The tape the forward pass recorded.</param>
    /// <param name="upstream">∂L/∂r_t from above at every step, and ∂L/∂ of the final state (empty: none).</param>
    /// <param name="gradients">The parameter gradient (added to), ∂L/∂x_t (added to) and ∂L/∂ of the initial state
    /// (overwritten); empty spans skip the last three.</param>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int steps,
        ReadOnlySpan<int> lengths, LstmLayerTape tape, LstmLayerOutputGradients upstream, LstmLayerInputGradients gradients)
    {
        ReadOnlySpan<float> dOutputs = upstream.Outputs, dFinalOutput = upstream.FinalOutput, dFinalCell = upstream.FinalCell;
        Span<float> dParameters = gradients.Parameters, dInputs = gradients.Inputs;
        int batch = ValidatePass(parameters, cache, inputs, steps, lengths, tape);
        int gateWidth = 4 * HiddenSize, n = HiddenSize, r = OutputSize;
        SpanGuard.RequireLength(dParameters.Length, ParameterCount, "gradients.Parameters");
        SpanGuard.RequireAtLeast(dOutputs.Length, steps * batch * r, "upstream.Outputs");
        ReadOnlySpan<float> peepholes = Peepholes(parameters);
        Span<float> dPeepholes = Options.Peepholes ? dParameters.Slice(_peepholeOffset, 3 * n) : [];
        Span<float> dr = tape.OutputGradient;            // [B, n_r]
        Span<float> drRecurrent = tape.RecurrentGradient; // [B, n_r] = W_rᵀ da_{t+1}
        Span<float> dm = tape.CellOutputGradient;         // [B, n_c]
        Span<float> dc = tape.CellGradient;               // [B, n_c], carried from t+1 to t
        CopyOrClear(dFinalOutput, drRecurrent, "upstream.FinalOutput");
        CopyOrClear(dFinalCell, dc, "upstream.FinalCell");

        // Toeplitz-like matrices at large batches add the dense ∂L/∂W of every call into the tape's accumulators and
        // map it onto their generators once, at the end of the pass (GateMatrix.FinishBackward). Cleared here too, so a
        // pass interrupted by an exception cannot leak into the next one.
        Span<float> inputAccumulator = tape.InputAccumulator; // allocated by the first pass (sized for T_max·B rows)
        inputAccumulator = InputMatrix.UsesGradientAccumulator(steps * batch) ? inputAccumulator : [];
        Span<float> recurrentAccumulator = tape.RecurrentAccumulator;
        Span<float> projectionAccumulator = tape.ProjectionAccumulator;
        inputAccumulator.Clear();
        recurrentAccumulator.Clear();
        projectionAccumulator.Clear();

        // When W_r's parameter gradient Σ_t da_t r_{t−1}ᵀ needs nothing but the rows (dense), it is one product of
        // depth T·B after the loop (as dW_x is) instead of T thin ones of depth B: ~0.9× the time at T·B = 640 rows.
        bool hoistRecurrentWeightGradient = RecurrentMatrix.TakesParameterGradientOverWholePass;
        for (int t = steps - 1; t >= 0; t--)
        {
            TensorPrimitives.Add(dOutputs.Slice(t * batch * r, batch * r), drRecurrent, dr); // dr_t = from above + W_rᵀ da_{t+1}
            if (HasProjection)
            {
                if (Options.ProjectionClip > 0)
                {
                    MaskClipped(tape.ProjectionBeforeClip.AsSpan(t * batch * r, batch * r), Options.ProjectionClip, dr, drRecurrent); // dr̂ = dr ⊙ [|r̂| < κ_r]
                }
                else
                {
                    dr.CopyTo(drRecurrent);
                }

                ClearPaddedRows(drRecurrent, lengths, t, r); // a padded step copied r_{t−1}; W_p played no part in it
                dm.Clear();
                ProjectionMatrix!.Backward(ProjectionWeights(parameters, cache), tape.CellOutput.AsSpan(t * batch * n, batch * n), drRecurrent, batch,
                    dParameters.Slice(_projectionOffset, ProjectionMatrix.ParameterCount), dm, tape.Workspace, projectionAccumulator); // dW_p += dr̂ mᵀ; dm = W_pᵀ dr̂
            }
            else
            {
                dr.CopyTo(dm);
            }

            Span<float> dGates = tape.GateGradients.AsSpan(t * batch * gateWidth, batch * gateWidth);
            for (int b = 0; b < batch; b++)
            {
                if (!IsValid(lengths, b, t))
                {
                    dGates.Slice(b * gateWidth, gateWidth).Clear(); // padded step: no gate gradient, dc passes through
                    continue;
                }

                int row = (t * batch) + b;
                LstmCellMath.Backward(
                    tape.Gates.AsSpan(row * gateWidth, gateWidth),
                    peepholes,
                    tape.Cell.AsSpan(row * n, n),
                    Options.CellClip,
                    tape.CellBeforeClip.AsSpan(row * n, n),
                    tape.Cell.AsSpan((row + batch) * n, n),
                    tape.TanhCell.AsSpan(row * n, n),
                    dm.Slice(b * n, n),
                    dc.Slice(b * n, n),
                    dGates.Slice(b * gateWidth, gateWidth),
                    dPeepholes);
            }

            drRecurrent.Clear();
            if (hoistRecurrentWeightGradient)
            {
                RecurrentMatrix.BackwardInput(RecurrentWeights(parameters, cache), dGates, batch, drRecurrent, tape.Workspace); // dr_{t−1} = W_rᵀ da (dW_r after the loop)
            }
            else
            {
                RecurrentMatrix.Backward(RecurrentWeights(parameters, cache), tape.Output.AsSpan(t * batch * r, batch * r), dGates, batch,
                    dParameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount), drRecurrent, tape.Workspace, recurrentAccumulator); // dW_r += da r_{t−1}ᵀ; dr_{t−1} = W_rᵀ da
            }
            for (int b = 0; b < batch; b++)
            {
                if (!IsValid(lengths, b, t))
                {
                    dr.Slice(b * r, r).CopyTo(drRecurrent.Slice(b * r, r)); // padded step copied r_{t−1}: its gradient passes through
                }
            }
        }

        // db += Σ da; dW_x += Σ da xᵀ and dx += W_xᵀ da over all T·B rows at once.
        Span<float> allGateGradients = tape.GateGradients.AsSpan(0, steps * batch * gateWidth);
        Span<float> dBias = dParameters.Slice(_biasOffset, gateWidth);
        for (int row = 0; row < steps * batch; row++)
        {
            TensorPrimitives.Add(dBias, allGateGradients.Slice(row * gateWidth, gateWidth), dBias);
        }

        if (hoistRecurrentWeightGradient)
        {
            RecurrentMatrix.Backward(RecurrentWeights(parameters, cache), tape.Output.AsSpan(0, steps * batch * r), allGateGradients, steps * batch,
                dParameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount), [], tape.Workspace); // dW_r += Σ_t da_t r_{t−1}ᵀ
        }

        InputMatrix.Backward(InputWeights(parameters, cache), inputs, allGateGradients, steps * batch,
            dParameters.Slice(_inputOffset, InputMatrix.ParameterCount), dInputs, tape.Workspace, inputAccumulator);
        InputMatrix.FinishBackward(InputWeights(parameters, cache), inputAccumulator, dParameters.Slice(_inputOffset, InputMatrix.ParameterCount), tape.Workspace);
        RecurrentMatrix.FinishBackward(RecurrentWeights(parameters, cache), recurrentAccumulator, dParameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount), tape.Workspace);
        if (HasProjection)
        {
            ProjectionMatrix!.FinishBackward(ProjectionWeights(parameters, cache), projectionAccumulator, dParameters.Slice(_projectionOffset, ProjectionMatrix.ParameterCount), tape.Workspace);
        }

        if (!gradients.InitialOutput.IsEmpty)
        {
            SpanGuard.RequireLength(gradients.InitialOutput.Length, batch * r, "gradients.InitialOutput");
            drRecurrent.CopyTo(gradients.InitialOutput);
        }

        if (!gradients.InitialCell.IsEmpty)
        {
            SpanGuard.RequireLength(gradients.InitialCell.Length, batch * n, "gradients.InitialCell");
            dc.CopyTo(gradients.InitialCell);
        }
    }

    private static bool IsValid(ReadOnlySpan<int> lengths, int b, int t) => lengths.IsEmpty || t < lengths[b];

    private void CarryStateOverPadding(LstmLayerTape tape, ReadOnlySpan<int> lengths, int t, int batch)
    {
        if (lengths.IsEmpty)
        {
            return;
        }

        int n = HiddenSize, r = OutputSize;
        for (int b = 0; b < batch; b++)
        {
            if (t >= lengths[b])
            {
                tape.Cell.AsSpan(((t * batch) + b) * n, n).CopyTo(tape.Cell.AsSpan((((t + 1) * batch) + b) * n, n));
                tape.Output.AsSpan(((t * batch) + b) * r, r).CopyTo(tape.Output.AsSpan((((t + 1) * batch) + b) * r, r));
            }
        }
    }

    private static void ClearPaddedRows(Span<float> rows, ReadOnlySpan<int> lengths, int t, int width)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            if (t >= lengths[b])
            {
                rows.Slice(b * width, width).Clear();
            }
        }
    }

    private static void MaskClipped(ReadOnlySpan<float> beforeClip, float clip, ReadOnlySpan<float> gradient, Span<float> masked)
    {
        for (int k = 0; k < gradient.Length; k++)
        {
            masked[k] = MathF.Abs(beforeClip[k]) < clip ? gradient[k] : 0f;
        }
    }

    private static void CopyOrClear(ReadOnlySpan<float> source, Span<float> destination, string name)
    {
        if (source.IsEmpty)
        {
            destination.Clear();
            return;
        }

        SpanGuard.RequireLength(source.Length, destination.Length, name);
        source.CopyTo(destination);
    }

    private int ValidatePass(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int steps,
        ReadOnlySpan<int> lengths, LstmLayerTape tape)
    {
        ArgumentNullException.ThrowIfNull(tape);
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireLength(cache.Length, CacheSize, nameof(cache));
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, tape.MaxSteps);
        int batch = tape.BatchSize;
        if (tape.Output.Length != (tape.MaxSteps + 1) * batch * OutputSize || tape.Cell.Length != (tape.MaxSteps + 1) * batch * HiddenSize)
        {
            throw new ArgumentException("The tape was allocated for a layer of different sizes.", nameof(tape));
        }

        SpanGuard.RequireLength(inputs.Length, steps * batch * InputSize, nameof(inputs));
        if (!lengths.IsEmpty)
        {
            if (lengths.Length != batch)
            {
                throw new ArgumentException($"Expected {batch} lengths (one per sequence) but got {lengths.Length}.", nameof(lengths));
            }

            foreach (int length in lengths)
            {
                if (length < 0 || length > steps)
                {
                    throw new ArgumentOutOfRangeException(nameof(lengths), length, $"Each length must be between 0 and the step count {steps}.");
                }
            }
        }

        return batch;
    }
}
