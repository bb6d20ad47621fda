namespace CompactRnn.Parameters;

/// <summary>
/// A named, shaped view into a flat parameter buffer: <c>buffer[Offset .. Offset + Rows·Columns]</c>,
/// stored row-major. Gradients use the same layout at the same offsets.
/// </summary>
/// <param name="Name">A stable name such as <c>"U"</c>, <c>"V"</c>, <c>"G"</c> or <c>"layer0.input.W"</c>.</param>
/// <param name="Offset">Index of the first element, relative to the owner's span.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Number of columns (1 for a vector).</param>
public readonly record struct ParameterBlock(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>Number of elements, <c>Rows·Columns</c>.</summary>
    public int Length => Rows * Columns;

    /// <summary>The block's elements within <paramref name="parameters"/>.</summary>
    public System.Span<float> Slice(System.Span<float> parameters) => parameters.Slice(Offset, Length);

    /// <summary>The block's elements within <paramref name="parameters"/>.</summary>
    public System.ReadOnlySpan<float> Slice(System.ReadOnlySpan<float> parameters) => parameters.Slice(Offset, Length);

    /// <summary>The same block moved by <paramref name="delta"/> elements and renamed <c>prefix + Name</c>.</summary>
    public ParameterBlock Shift(int delta, string prefix) => this with { Name = prefix + Name, Offset = Offset + delta };
}
