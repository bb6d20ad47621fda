using System;
using System.Numerics.Tensors;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;

namespace CompactRnn.Layers;

/// <content>
/// Forward-only pieces of batch inference: <see cref="Forward"/>'s arithmetic cut by cells (the gate rows i, f, g, o of
/// cells <c>[start, end)</c>) or by projection rows, so cores can share one step of one batch. Each piece computes its
/// values exactly as <see cref="Forward"/> does for the whole batch (same kernels, same summation order), and keeps only
/// the state a forward pass needs: c (in place), m, r.
/// </content>
public sealed partial class LstmLayer
{
    /// <summary>Whether W_x's product over <paramref name="rows"/> rows can be cut by cells (a plain GEMM on W).</summary>
    internal bool CanCutInput(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, int rows)
        => !InputMatrix.ForwardRows(InputWeights(parameters, cache), rows).IsEmpty;

    /// <summary>Whether W_r's product over <paramref name="rows"/> rows can be cut by cells.</summary>
    internal bool CanCutRecurrent(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, int rows)
        => !RecurrentMatrix.ForwardRows(RecurrentWeights(parameters, cache), rows).IsEmpty;

    /// <summary>Whether W_p's product over <paramref name="rows"/> rows can be cut by output rows (false without a projection).</summary>
    internal bool CanCutProjection(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, int rows)
        => HasProjection && !ProjectionMatrix!.ForwardRows(ProjectionWeights(parameters, cache), rows).IsEmpty;

    /// <summary>
    /// <c>a = b + W_x x</c> for the gate entries of cells <c>[start, end)</c> of <paramref name="rows"/> rows. The whole range
    /// runs <see cref="GateMatrix.Forward"/> (any kind); a part needs <see cref="CanCutInput"/>.
    /// </summary>
    /// <param name="parameters">The layer's parameters.</param>
    /// <param name="cache">The layer's cache.</param>
    /// <param name="inputs">[rows, n_in].</param>
    /// <param name="rows">Rows.</param>
    /// <param name="gates">[rows, 4n_c], the range's entries overwritten.</param>
    /// <param name="start">First cell.</param>
    /// <param name="end">One past the last cell.</param>
    /// <param name="workspace">The matrix's workspace for <paramref name="rows"/> rows (whole range only).</param>
    internal void InferInput(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> inputs, int rows,
        Span<float> gates, int start, int end, Span<float> workspace)
    {
        int gateWidth = 4 * HiddenSize;
        ReadOnlySpan<float> bias = Bias(parameters);
        if (start == 0 && end == HiddenSize)
        {
            for (int row = 0; row < rows; row++)
            {
                bias.CopyTo(gates.Slice(row * gateWidth, gateWidth));
            }

            InputMatrix.Forward(InputWeights(parameters, cache), inputs, rows, gates, workspace);
            return;
        }

        for (int row = 0; row < rows; row++)
        {
            for (int gate = 0; gate < 4; gate++)
            {
                int offset = (gate * HiddenSize) + start;
                bias.Slice(offset, end - start).CopyTo(gates.Slice((row * gateWidth) + offset, end - start));
            }
        }

        MultiplyCells(InputMatrix.ForwardRows(InputWeights(parameters, cache), rows), inputs, rows, gates, start, end);
    }

    /// <summary>
    /// <c>a_t += W_r r_{t−1}</c> for the gate entries of cells <c>[start, end)</c>. The whole range runs
    /// <see cref="GateMatrix.Forward"/>; a part needs <see cref="CanCutRecurrent"/>.
    /// </summary>
    internal void InferRecurrent(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> previousOutput, int batch,
        Span<float> gates, int start, int end, Span<float> workspace)
    {
        if (start == 0 && end == HiddenSize)
        {
            RecurrentMatrix.Forward(RecurrentWeights(parameters, cache), previousOutput, batch, gates, workspace);
            return;
        }

        MultiplyCells(RecurrentMatrix.ForwardRows(RecurrentWeights(parameters, cache), batch), previousOutput, batch, gates, start, end);
    }

    /// <summary>
    /// The cell step (<see cref="LstmCellInference"/>) for cells <c>[start, end)</c> of every row valid at step t; a padded row
    /// keeps its c, and without a projection its r_t (= m_t) is copied from r_{t−1}, as <see cref="Forward"/> carries state.
    /// </summary>
    /// <param name="parameters">The layer's parameters.</param>
    /// <param name="gates">a_t [B, 4n_c].</param>
    /// <param name="cell">c [B, n_c]: c_{t−1} in, c_t out.</param>
    /// <param name="cellOutput">m_t [B, n_c] (r_t without a projection).</param>
    /// <param name="previousOutput">r_{t−1} [B, n_r] (read for padded rows without a projection).</param>
    /// <param name="lengths">Valid lengths [B], or empty.</param>
    /// <param name="t">The step.</param>
    /// <param name="start">First cell, a multiple of <see cref="LstmCellInference.RangeAlignment"/>.</param>
    /// <param name="end">One past the last cell.</param>
    internal void InferCells(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gates, Span<float> cell, Span<float> cellOutput,
        ReadOnlySpan<float> previousOutput, ReadOnlySpan<int> lengths, int t, int start, int end)
    {
        int n = HiddenSize, gateWidth = 4 * n, batch = cell.Length / n;
        ReadOnlySpan<float> peepholes = Peepholes(parameters);
        for (int b = 0; b < batch; b++)
        {
            if (IsValid(lengths, b, t))
            {
                LstmCellInference.Forward(gates.Slice(b * gateWidth, gateWidth), peepholes, cell.Slice(b * n, n), Options.CellClip,
                    cellOutput.Slice(b * n, n), start, end);
            }
            else if (!HasProjection)
            {
                previousOutput.Slice((b * n) + start, end - start).CopyTo(cellOutput.Slice((b * n) + start, end - start));
            }
        }
    }

    /// <summary>
    /// <c>r_t = clip(W_p m_t, κ_r)</c> for output entries <c>[start, end)</c>; padded rows copy r_{t−1} there. The whole range
    /// runs <see cref="GateMatrix.Forward"/>; a part needs <see cref="CanCutProjection"/>.
    /// </summary>
    internal void InferProjection(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache, ReadOnlySpan<float> cellOutput,
        ReadOnlySpan<float> previousOutput, Span<float> output, ReadOnlySpan<int> lengths, int t, int start, int end, Span<float> workspace)
    {
        int r = OutputSize, batch = output.Length / r, width = end - start;
        if (start == 0 && end == r)
        {
            output.Clear();
            ProjectionMatrix!.Forward(ProjectionWeights(parameters, cache), cellOutput, batch, output, workspace); // r̂ = W_p m
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                output.Slice((b * r) + start, width).Clear();
            }

            ReadOnlySpan<float> weights = ProjectionMatrix!.ForwardRows(ProjectionWeights(parameters, cache), batch);
            Gemm.MultiplyAddTransposedB(cellOutput, weights[(start * HiddenSize)..], output[start..], batch, width, HiddenSize, r);
        }

        for (int b = 0; b < batch; b++)
        {
            Span<float> row = output.Slice((b * r) + start, width);
            if (!IsValid(lengths, b, t))
            {
                previousOutput.Slice((b * r) + start, width).CopyTo(row);
            }
            else if (Options.ProjectionClip > 0)
            {
                TensorPrimitives.Clamp(row, -Options.ProjectionClip, Options.ProjectionClip, row); // r = clip(r̂)
            }
        }
    }

    /// <summary><c>gates[:, q·n + j] += Σ_p x[:, p] · W[q·n + j, p]</c> for the four gates q and cells j in <c>[start, end)</c>.</summary>
    private void MultiplyCells(ReadOnlySpan<float> weights, ReadOnlySpan<float> inputs, int rows, Span<float> gates, int start, int end)
    {
        int n = HiddenSize, depth = weights.Length / (4 * n);
        for (int gate = 0; gate < 4; gate++)
        {
            int first = (gate * n) + start;
            Gemm.MultiplyAddTransposedB(inputs, weights[(first * depth)..], gates[first..], rows, end - start, depth, 4 * n);
        }
    }
}
