using System;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>
/// Softmax cross-entropy with integer targets, optional label smoothing and a per-row mask, over
/// row-major logits <c>[rows, classCount]</c>. Frame-level training passes one row per frame;
/// sequence-level training passes one row per sequence (for example the last frame's logits) or selects
/// those rows with <see cref="EvaluateRows(ReadOnlySpan{float}, int, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{float}, float)"/>.
/// </summary>
/// <remarks>
/// <para>With the smoothed target <c>q = (1 − ε)·onehot(y) + ε/C</c> (Szegedy et al., 2016) and
/// <c>p = softmax(z)</c>, each counted row contributes</para>
/// <code>
/// ℓ = −Σ_c q_c · log p_c = logsumexp(z) − (1 − ε)·z_y − (ε/C)·Σ_c z_c
/// ∂ℓ/∂z = p − q
/// </code>
/// <para>The returned <see cref="LossResult.Sum"/> is Σ ℓ over counted rows in double. The gradient is
/// written (overwrite) as <c>dLogits = (p − q)·scale</c>, with scale = 1 / (counted rows) by default, so
/// it is the gradient of the mean; masked rows get a zero gradient and are not counted. The softmax
/// subtracts the row maximum, so large logits do not overflow. No allocation.</para>
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>Loss and gradient of the mean over the unmasked rows.</summary>
    /// <param name="logits">[rows, classCount] row-major, rows = <paramref name="targets"/>.Length.</param>
    /// <param name="classCount">C ≥ 1.</param>
    /// <param name="targets">[rows] class indices in [0, C); ignored on masked rows (padding may be −1).</param>
    /// <param name="mask">[rows] of 0 (padding) or 1 (counted), or empty to count every row.</param>
    /// <param name="dLogits">[rows, classCount], overwritten; may be <paramref name="logits"/> itself.</param>
    /// <param name="labelSmoothing">ε in [0, 1).</param>
    /// <returns>Σ ℓ over the counted rows and their number.</returns>
    public static LossResult Evaluate(
        ReadOnlySpan<float> logits, int classCount, ReadOnlySpan<int> targets, ReadOnlySpan<float> mask, Span<float> dLogits, float labelSmoothing = 0f)
    {
        int counted = LossArguments.CountUnmasked(mask, targets.Length, nameof(mask));
        return Evaluate(logits, classCount, targets, mask, dLogits, labelSmoothing, counted == 0 ? 0f : 1f / counted);
    }

    /// <summary>
    /// Loss and gradient with an explicit gradient scale, e.g. 1 / (frames in the whole minibatch) when
    /// truncated BPTT evaluates the loss chunk by chunk, or 1 for the gradient of the sum.
    /// </summary>
    /// <param name="logits">[rows, classCount] row-major, rows = <paramref name="targets"/>.Length.</param>
    /// <param name="classCount">C ≥ 1.</param>
    /// <param name="targets">[rows] class indices in [0, C); ignored on masked rows.</param>
    /// <param name="mask">[rows] of 0 (padding) or 1 (counted), or empty to count every row.</param>
    /// <param name="dLogits">[rows, classCount], overwritten with (p − q)·scale; may be <paramref name="logits"/> itself.</param>
    /// <param name="labelSmoothing">ε in [0, 1).</param>
    /// <param name="gradientScale">The factor applied to every gradient row; finite.</param>
    /// <returns>Σ ℓ over the counted rows and their number.</returns>
    public static LossResult Evaluate(
        ReadOnlySpan<float> logits, int classCount, ReadOnlySpan<int> targets, ReadOnlySpan<float> mask, Span<float> dLogits, float labelSmoothing, float gradientScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        int rows = targets.Length;
        LossArguments.RequireMatrix(logits.Length, rows, classCount, nameof(logits));
        LossArguments.RequireMatrix(dLogits.Length, rows, classCount, nameof(dLogits));
        LossArguments.RequireNoPartialOverlap(logits, dLogits, nameof(dLogits));
        int counted = LossArguments.CountUnmasked(mask, rows, nameof(mask));
        RequireSmoothing(labelSmoothing);
        LossArguments.RequireScale(gradientScale, nameof(gradientScale));

        double sum = 0d;
        for (int r = 0; r < rows; r++)
        {
            Span<float> dRow = dLogits.Slice(r * classCount, classCount);
            if (!LossArguments.IsCounted(mask, r))
            {
                dRow.Clear();
                continue;
            }

            int target = RequireTarget(targets, r, classCount);
            sum += EvaluateRow(logits.Slice(r * classCount, classCount), target, labelSmoothing, gradientScale, dRow);
        }

        return new LossResult(sum, counted);
    }

    /// <summary>
    /// Loss and gradient of the mean over selected rows: row <c>rows[i]</c> of the logits has target
    /// <c>targets[i]</c>. Every other row of <paramref name="dLogits"/> is zeroed. This is sequence-level
    /// cross-entropy over a frame-major output without gathering the rows first.
    /// </summary>
    /// <param name="logits">[totalRows, classCount] row-major.</param>
    /// <param name="classCount">C ≥ 1.</param>
    /// <param name="rows">Distinct indices of the rows that carry a loss, each in [0, totalRows).</param>
    /// <param name="targets">[rows.Length] class indices in [0, C).</param>
    /// <param name="dLogits">[totalRows, classCount], overwritten; must not overlap <paramref name="logits"/>.</param>
    /// <param name="labelSmoothing">ε in [0, 1).</param>
    /// <returns>Σ ℓ over the selected rows and their number.</returns>
    public static LossResult EvaluateRows(
        ReadOnlySpan<float> logits, int classCount, ReadOnlySpan<int> rows, ReadOnlySpan<int> targets, Span<float> dLogits, float labelSmoothing = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (logits.Length % classCount != 0)
        {
            throw new ArgumentException($"The logits hold {logits.Length} floats, not a multiple of classCount = {classCount}.", nameof(logits));
        }

        int totalRows = logits.Length / classCount;
        LossArguments.RequireMatrix(dLogits.Length, totalRows, classCount, nameof(dLogits));
        if (logits.Overlaps(dLogits))
        {
            throw new ArgumentException("dLogits must not overlap the logits when rows are selected.", nameof(dLogits));
        }

        if (targets.Length != rows.Length)
        {
            throw new ArgumentException($"Got {targets.Length} targets for {rows.Length} selected rows; pass one per row.", nameof(targets));
        }

        RequireSmoothing(labelSmoothing);
        dLogits.Clear();
        float scale = rows.IsEmpty ? 0f : 1f / rows.Length;
        double sum = 0d;
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if ((uint)row >= (uint)totalRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"rows[{i}] = {row} is outside [0, {totalRows}).");
            }

            Span<float> dRow = dLogits.Slice(row * classCount, classCount);
            if (dRow.ContainsAnyExcept(0f))
            {
                throw new ArgumentException($"rows[{i}] = {row} is selected twice.", nameof(rows));
            }

            int target = RequireTarget(targets, i, classCount);
            sum += EvaluateRow(logits.Slice(row * classCount, classCount), target, labelSmoothing, scale, dRow);
        }

        return new LossResult(sum, rows.Length);
    }

    /// <summary>ℓ for one row in double; writes (p − q)·scale. <paramref name="dRow"/> may be <paramref name="z"/>'s memory.</summary>
    private static double EvaluateRow(ReadOnlySpan<float> z, int target, float smoothing, float scale, Span<float> dRow)
    {
        int classCount = z.Length;
        double targetLogit = z[target];                                   // read before an in-place overwrite
        double logitSum = smoothing == 0f ? 0d : TensorPrimitives.Sum(z);
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, dRow);                          // z − max
        TensorPrimitives.Exp(dRow, dRow);                                 // e = exp(z − max)
        double sumExp = TensorPrimitives.Sum(dRow);
        double logSumExp = max + Math.Log(sumExp);
        double loss = logSumExp - (1d - smoothing) * targetLogit - smoothing / classCount * logitSum;

        TensorPrimitives.Multiply(dRow, (float)(scale / sumExp), dRow);  // p · scale
        if (smoothing != 0f)
        {
            TensorPrimitives.Subtract(dRow, (float)(scale * smoothing / classCount), dRow); // − (ε/C) · scale
        }

        dRow[target] -= (float)(scale * (1d - smoothing));               // − (1 − ε) · onehot · scale
        return loss;
    }

    private static int RequireTarget(ReadOnlySpan<int> targets, int index, int classCount)
    {
        int target = targets[index];
        if ((uint)target >= (uint)classCount)
        {
            throw new ArgumentOutOfRangeException(nameof(targets), target, $"targets[{index}] = {target} is outside [0, {classCount}).");
        }

        return target;
    }

    private static void RequireSmoothing(float labelSmoothing)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must lie in [0, 1).");
        }
    }
}
