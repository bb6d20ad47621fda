namespace CompactRnn.Parameters;

/// <summary>
/// A named, shaped view into a flat parameter buffer: <c>buffer[Offset .. Offset + Rows·Columns]</c>,
/// stored row-major. Gradients use the same layout at the same offsets.
/// </summary>
/// <remarks>
/// <see cref="LearningRateScale"/> multiplies the optimiser's learning rate on this block (docs/math.md §13): the
/// structured kinds set it so that one sign-like step moves their dense equivalent about as much as a dense matrix's
/// step moves it, whatever the rank; every optimiser (<c>Optimizer</c>) applies it once given the blocks
/// (<c>Optimizer.UseBlockScales</c>), and the trainer (<c>BpttTrainer</c>) does that by default.
/// </remarks>
/// <param name="Name">A stable name such as <c>"U"</c>, <c>"V"</c>, <c>"G"</c> or <c>"layer0.input.W"</c>.</param>
/// <param name="Offset">Index of the first element, relative to the owner's span.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Number of columns (1 for a vector).</param>
public readonly record struct ParameterBlock(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>The factor applied to the learning rate on this block; 1 for dense matrices, biases and peepholes.</summary>
    public float LearningRateScale { get; init; } = 1f;

    /// <summary>Number of elements, <c>Rows·Columns</c>.</summary>
    public int Length => Rows * Columns;

    /// <summary>The block's elements within <paramref name="parameters"/>.</summary>
    public System.Span<float> Slice(System.Span<float> parameters) => parameters.Slice(Offset, Length);

    /// <summary>The block's elements within <paramref name="parameters"/>.</summary>
    public System.ReadOnlySpan<float> Slice(System.ReadOnlySpan<float> parameters) => parameters.Slice(Offset, Length);

    /// <summary>The same block moved by <paramref name="delta"/> elements and renamed <c>prefix + Name</c>.</summary>
    public ParameterBlock Shift(int delta, string prefix) => this with { Name = prefix + Name, Offset = Offset + delta };
}
