using System;

namespace CompactRnn.Training;

/// <summary>Shared argument checks of the losses.</summary>
internal static class LossArguments
{
    /// <summary>
    /// Checks the shape of a row-major matrix <c>[rows, columns]</c> and its gradient, which must have the
    /// same length and either be the same span (in place) or not overlap it.
    /// </summary>
    public static void RequireMatrix(int actualLength, int rows, int columns, string parameterName)
    {
        long expected = (long)rows * columns;
        if (actualLength != expected)
        {
            throw new ArgumentException($"Expected {rows} rows × {columns} columns = {expected} floats, got {actualLength}.", parameterName);
        }
    }

    /// <summary>Throws when <paramref name="destination"/> overlaps <paramref name="source"/> other than exactly.</summary>
    public static void RequireNoPartialOverlap(ReadOnlySpan<float> source, Span<float> destination, string parameterName)
    {
        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException($"The destination overlaps an input at offset {offset}; it must be the same span or not overlap.", parameterName);
        }
    }

    /// <summary>
    /// Counts the unmasked rows. An empty mask counts every row; otherwise it needs one value per row,
    /// each 0 (padding: no loss, zero gradient) or 1 (counted).
    /// </summary>
    public static int CountUnmasked(ReadOnlySpan<float> mask, int rows, string parameterName)
    {
        if (mask.IsEmpty)
        {
            return rows;
        }

        if (mask.Length != rows)
        {
            throw new ArgumentException($"The mask has {mask.Length} values for {rows} rows; pass one per row, or an empty mask.", parameterName);
        }

        int count = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            float value = mask[i];
            if (value == 1f)
            {
                count++;
            }
            else if (value != 0f)
            {
                throw new ArgumentException($"mask[{i}] = {value}; each mask value must be 0 (padding) or 1 (counted).", parameterName);
            }
        }

        return count;
    }

    /// <summary>true when row <paramref name="row"/> is counted (an empty mask counts every row).</summary>
    public static bool IsCounted(ReadOnlySpan<float> mask, int row) => mask.IsEmpty || mask[row] != 0f;

    /// <summary>Throws unless <paramref name="scale"/> is finite.</summary>
    public static void RequireScale(float scale, string parameterName)
    {
        if (!float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(parameterName, scale, "The gradient scale must be finite.");
        }
    }
}
