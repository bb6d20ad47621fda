using System;

namespace CompactRnn.Kernels;

/// <summary>The integer part of an <see cref="Int8Matrix"/>: rows of quantized weights q_ip packed for <see cref="PackedGemv"/>.</summary>
internal sealed class Int8PackedRows : PackedStreamingMatrix<sbyte, Int8Pairs>
{
    /// <summary>Packs [left | right], whose entries are already integers in [−127, 127].</summary>
    public Int8PackedRows(int rows, ReadOnlySpan<float> left, int leftColumns, ReadOnlySpan<float> right, int rightColumns, int lanes)
        : base(rows, left, leftColumns, right, rightColumns, lanes)
    {
    }
}
