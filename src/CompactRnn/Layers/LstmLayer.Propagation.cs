using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;

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
        int batch = ValidatePass(parameters, cache, inputs, steps, lengths, tape);
        int gateWidth = 4 * HiddenSize, n = HiddenSize, r = OutputSize;
        SpanGuard.RequireLength(gradients.Parameters.Length, ParameterCount, "gradients.Parameters");
        SpanGuard.RequireAtLeast(upstream.Outputs.Length, steps * batch * r, "upstream.Outputs");
        Span<float> dr = tape.OutputGradient;            // [B, n_r]
        Span<float> drRecurrent = tape.RecurrentGradient; // [B, n_r]: W_rᵀ da_{t+1}, after the projection dr̂
        Span<float> dm = tape.CellOutputGradient;         // [B, n_c]
        Span<float> dc = tape.CellGradient;               // [B, n_c], carried from t+1 to t
        CopyOrClear(upstream.FinalOutput, drRecurrent, "upstream.FinalOutput");
        CopyOrClear(upstream.FinalCell, dc, "upstream.FinalCell");

        // One backward session per gate matrix: dX is complete after every step, dθ after Finish; what a kind defers in
        // between (and where) is its own business. W_r's rows r_{t−1} and da_t stay in the tape for the whole pass.
        GateMatrixBackwardSession projection = HasProjection
            ? ProjectionMatrix!.BeginBackward(ProjectionWeights(parameters, cache), ProjectionGradient(gradients.Parameters), batch, tape.ProjectionBackwardState, tape.Workspace)
            : default;
        GateMatrixBackwardSession recurrent = RecurrentMatrix.BeginBackward(RecurrentWeights(parameters, cache), RecurrentGradient(gradients.Parameters), batch,
            tape.RecurrentBackwardState, tape.Workspace,
            new GateMatrixPassRows(tape.Output.AsSpan(0, steps * batch * r), tape.GateGradients.AsSpan(0, steps * batch * gateWidth)));
        GateMatrixBackwardSession input = InputMatrix.BeginBackward(InputWeights(parameters, cache), InputGradient(gradients.Parameters), steps * batch,
            tape.InputBackwardState, tape.Workspace);

        for (int t = steps - 1; t >= 0; t--)
        {
            Span<float> da = tape.GateGradients.AsSpan(t * batch * gateWidth, batch * gateWidth);
            TensorPrimitives.Add(upstream.Outputs.Slice(t * batch * r, batch * r), drRecurrent, dr);       // dr = from above + W_rᵀ da_{t+1}
            if (HasProjection)
            {
                Span<float> drHat = drRecurrent;
                MaskClipped(tape.ProjectionBeforeClip.AsSpan(t * batch * r, batch * r), Options.ProjectionClip, dr, drHat); // dr̂ = dr ⊙ [|r̂_t| < κ_r]
                ClearPaddedRows(drHat, lengths, t, r);                                                   // (a padded step copied r_{t−1})
                dm.Clear();
                projection.Step(tape.CellOutput.AsSpan(t * batch * n, batch * n), drHat, batch, dm);     // dW_p += dr̂ m_tᵀ;  dm = W_pᵀ dr̂
            }
            else
            {
                dr.CopyTo(dm);                                                                           // r_t = m_t
            }

            CellBackward(parameters, tape, lengths, t, dm, dc, da, gradients.Parameters);               // da_t; dp += …; dc → step t−1
            drRecurrent.Clear();
            recurrent.Step(tape.Output.AsSpan(t * batch * r, batch * r), da, batch, drRecurrent);        // dW_r += da r_{t−1}ᵀ;  dr_{t−1} = W_rᵀ da
            PassGradientOverPadding(dr, drRecurrent, lengths, t);                                       // (a padded step copied r_{t−1})
        }

        Span<float> allGateGradients = tape.GateGradients.AsSpan(0, steps * batch * gateWidth);
        AddRows(allGateGradients, gradients.Parameters.Slice(_biasOffset, gateWidth));                  // db += Σ_t da_t
        input.Step(inputs, allGateGradients, steps * batch, gradients.Inputs);                           // dW_x += Σ_t da x_tᵀ;  dx_t += W_xᵀ da
        input.Finish();
        recurrent.Finish();
        if (HasProjection)
        {
            projection.Finish();
        }

        CopyIfRequested(drRecurrent, gradients.InitialOutput, "gradients.InitialOutput");               // ∂L/∂r_{−1}
        CopyIfRequested(dc, gradients.InitialCell, "gradients.InitialCell");                            // ∂L/∂c_{−1}
    }

    /// <summary>The cell's backward step (docs/math.md §2, <see cref="LstmCellMath.Backward"/>) for every row of step t: da_t,
    /// the peephole gradients, and dc carried to step t−1; a padded row gets da = 0 and passes dc through.</summary>
    private void CellBackward(ReadOnlySpan<float> parameters, LstmLayerTape tape, ReadOnlySpan<int> lengths, int t,
        ReadOnlySpan<float> dm, Span<float> dc, Span<float> da, Span<float> dParameters)
    {
        int batch = tape.BatchSize, gateWidth = 4 * HiddenSize, n = HiddenSize;
        ReadOnlySpan<float> peepholes = Peepholes(parameters);
        Span<float> dPeepholes = Options.Peepholes ? dParameters.Slice(_peepholeOffset, 3 * n) : [];
        for (int b = 0; b < batch; b++)
        {
            if (!IsValid(lengths, b, t))
            {
                da.Slice(b * gateWidth, gateWidth).Clear();
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
                da.Slice(b * gateWidth, gateWidth),
                dPeepholes);
        }
    }

    /// <summary>At a padded step r_t was a copy of r_{t−1}, so dr_{t−1} is dr_t there.</summary>
    private void PassGradientOverPadding(ReadOnlySpan<float> dr, Span<float> drPrevious, ReadOnlySpan<int> lengths, int t)
    {
        int r = OutputSize;
        for (int b = 0; b < lengths.Length; b++)
        {
            if (t >= lengths[b])
            {
                dr.Slice(b * r, r).CopyTo(drPrevious.Slice(b * r, r));
            }
        }
    }

    /// <summary>sum[j] += Σ_row rows[row·w + j], w = sum.Length.</summary>
    private static void AddRows(ReadOnlySpan<float> rows, Span<float> sum)
    {
        for (int row = 0; row < rows.Length / sum.Length; row++)
        {
            TensorPrimitives.Add(sum, rows.Slice(row * sum.Length, sum.Length), sum);
        }
    }

    private static void CopyIfRequested(ReadOnlySpan<float> source, Span<float> destination, string name)
    {
        if (!destination.IsEmpty)
        {
            SpanGuard.RequireLength(destination.Length, source.Length, name);
            source.CopyTo(destination);
        }
    }

    private Span<float> InputGradient(Span<float> dParameters) => dParameters.Slice(_inputOffset, InputMatrix.ParameterCount);

    private Span<float> RecurrentGradient(Span<float> dParameters) => dParameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount);

    private Span<float> ProjectionGradient(Span<float> dParameters) => dParameters.Slice(_projectionOffset, ProjectionMatrix!.ParameterCount);

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

    /// <summary>masked = gradient ⊙ [|beforeClip| &lt; clip], or a copy when the clip is off (clip = 0).</summary>
    private static void MaskClipped(ReadOnlySpan<float> beforeClip, float clip, ReadOnlySpan<float> gradient, Span<float> masked)
    {
        if (clip <= 0)
        {
            gradient.CopyTo(masked);
            return;
        }

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
