using System;

namespace CompactRnn.Training;

/// <summary>
/// Knowledge distillation (Hinton, Vinyals and Dean, 2015) at temperature 1: the student's frame loss mixes
/// the cross-entropy against the label with the cross-entropy against a teacher's posterior q = softmax(z_T),
/// <code>
/// ℓ = (1 − α)·(−log p_y) + α·(−Σ_c q_c log p_c),    ∂ℓ/∂z = p − (1 − α)·e_y − α·q.
/// </code>
/// The hard-label part (p − e_y) is what <see cref="SoftmaxCrossEntropy"/> writes; this class adds the rest,
/// α·(e_y − q), so the two together give the gradient above.
/// </summary>
public static class DistillationLoss
{
    /// <summary>
    /// Adds <c>α·scale·mask·(e_y − q)</c> to each row of <paramref name="dLogits"/>, with q the softmax of the
    /// row of <paramref name="teacherLogits"/> (the row maximum is subtracted first). No allocation.
    /// </summary>
    /// <param name="teacherLogits">[rows, classCount] row-major logits of the teacher on the same frames.</param>
    /// <param name="classCount">C ≥ 1.</param>
    /// <param name="targets">[rows] class indices in [0, C); ignored on masked rows.</param>
    /// <param name="mask">[rows] of 0 (padding) or 1 (counted), or empty to count every row.</param>
    /// <param name="dLogits">[rows, classCount] hard-label gradient, updated in place.</param>
    /// <param name="weight">α in [0, 1].</param>
    /// <param name="gradientScale">The scale the hard-label gradient was written with; finite.</param>
    public static void AddTeacherTerm(ReadOnlySpan<float> teacherLogits, int classCount, ReadOnlySpan<int> targets, ReadOnlySpan<float> mask,
        Span<float> dLogits, float weight, float gradientScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        int rows = targets.Length;
        LossArguments.RequireMatrix(teacherLogits.Length, rows, classCount, nameof(teacherLogits));
        LossArguments.RequireMatrix(dLogits.Length, rows, classCount, nameof(dLogits));
        if (!mask.IsEmpty && mask.Length != rows)
        {
            throw new ArgumentException($"The mask has {mask.Length} entries for {rows} rows.", nameof(mask));
        }

        if (!(weight >= 0f && weight <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The distillation weight α must be in [0, 1].");
        }

        if (!float.IsFinite(gradientScale))
        {
            throw new ArgumentOutOfRangeException(nameof(gradientScale), gradientScale, "The gradient scale must be finite.");
        }

        for (int row = 0; row < rows; row++)
        {
            float m = mask.IsEmpty ? 1f : mask[row];
            if (m == 0f || weight == 0f)
            {
                continue;
            }

            ReadOnlySpan<float> z = teacherLogits.Slice(row * classCount, classCount);
            Span<float> d = dLogits.Slice(row * classCount, classCount);
            int target = targets[row];
            if ((uint)target >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), target, $"Target of row {row} is outside [0, {classCount}).");
            }

            float factor = weight * gradientScale * m;
            SoftmaxFunctions.AddScaledSoftmax(z, -factor, d); // −α·s·q
            d[target] += factor;                              // +α·s·e_y
        }
    }
}
