using System;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>
/// Mean squared error over row-major predictions and targets <c>[rows, featureSize]</c> with a per-row
/// mask, matching PyTorch's <c>MSELoss(reduction="mean")</c> over the unmasked elements:
/// <code>
/// L = (1 / N) · Σ_{counted rows r} Σ_j (y_rj − t_rj)²,   N = counted rows × featureSize
/// ∂L/∂y_rj = 2 · (y_rj − t_rj) / N
/// </code>
/// </summary>
/// <remarks>
/// The returned <see cref="LossResult.Sum"/> is the double-precision Σ of squares and
/// <see cref="LossResult.Count"/> is N. The gradient is written (overwrite) as <c>2·(y − t)·scale</c>
/// with scale = 1 / N by default; masked rows get a zero gradient. No allocation.
/// </remarks>
public static class MeanSquaredError
{
    /// <summary>Loss and gradient of the mean over the unmasked elements.</summary>
    /// <param name="predictions">[rows, featureSize] row-major.</param>
    /// <param name="targets">[rows, featureSize] row-major; ignored on masked rows.</param>
    /// <param name="featureSize">Columns; at least 1.</param>
    /// <param name="mask">[rows] of 0 (padding) or 1 (counted), or empty to count every row.</param>
    /// <param name="dPredictions">[rows, featureSize], overwritten; may be <paramref name="predictions"/> itself.</param>
    /// <returns>Σ (y − t)² over the counted elements and their number.</returns>
    public static LossResult Evaluate(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int featureSize, ReadOnlySpan<float> mask, Span<float> dPredictions)
    {
        int rows = RequireRows(predictions, featureSize);
        long counted = (long)LossArguments.CountUnmasked(mask, rows, nameof(mask)) * featureSize;
        return Evaluate(predictions, targets, featureSize, mask, dPredictions, counted == 0 ? 0f : (float)(1d / counted));
    }

    /// <summary>Loss and gradient with an explicit gradient scale (the gradient is <c>2·(y − t)·scale</c>).</summary>
    /// <param name="predictions">[rows, featureSize] row-major.</param>
    /// <param name="targets">[rows, featureSize] row-major; ignored on masked rows.</param>
    /// <param name="featureSize">Columns; at least 1.</param>
    /// <param name="mask">[rows] of 0 (padding) or 1 (counted), or empty to count every row.</param>
    /// <param name="dPredictions">[rows, featureSize], overwritten; may be <paramref name="predictions"/> itself.</param>
    /// <param name="gradientScale">The factor applied to every gradient row; finite.</param>
    /// <returns>Σ (y − t)² over the counted elements and their number.</returns>
    public static LossResult Evaluate(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int featureSize, ReadOnlySpan<float> mask, Span<float> dPredictions, float gradientScale)
    {
        int rows = RequireRows(predictions, featureSize);
        LossArguments.RequireMatrix(targets.Length, rows, featureSize, nameof(targets));
        LossArguments.RequireMatrix(dPredictions.Length, rows, featureSize, nameof(dPredictions));
        LossArguments.RequireNoPartialOverlap(predictions, dPredictions, nameof(dPredictions));
        if (targets.Overlaps(dPredictions))
        {
            throw new ArgumentException("dPredictions must not overlap the targets.", nameof(dPredictions));
        }

        int countedRows = LossArguments.CountUnmasked(mask, rows, nameof(mask));
        LossArguments.RequireScale(gradientScale, nameof(gradientScale));

        float twiceScale = 2f * gradientScale;
        double sum = 0d;
        for (int r = 0; r < rows; r++)
        {
            Span<float> dRow = dPredictions.Slice(r * featureSize, featureSize);
            if (!LossArguments.IsCounted(mask, r))
            {
                dRow.Clear();
                continue;
            }

            TensorPrimitives.Subtract(predictions.Slice(r * featureSize, featureSize), targets.Slice(r * featureSize, featureSize), dRow); // y − t
            sum += GradientClipping.SumOfSquares(dRow);                    // Σ (y − t)² in double
            TensorPrimitives.Multiply(dRow, twiceScale, dRow);             // 2·(y − t)·scale
        }

        return new LossResult(sum, (long)countedRows * featureSize);
    }

    private static int RequireRows(ReadOnlySpan<float> predictions, int featureSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        if (predictions.Length % featureSize != 0)
        {
            throw new ArgumentException($"The predictions hold {predictions.Length} floats, not a multiple of featureSize = {featureSize}.", nameof(predictions));
        }

        return predictions.Length / featureSize;
    }
}
