namespace CompactRnn.Cli.Experiments;

/// <summary>
/// What a model of a comparison is: dense or a <see cref="LayoutKind"/>, trained from scratch or started from a trained dense
/// model. Its text (<see cref="ToString"/>) is the row kind of the results files (<see cref="ResultRow.Kind"/>).
/// </summary>
/// <param name="Layout">The layout kind, or null for a dense model.</param>
/// <param name="FromDense">Whether it starts from a trained dense model: compressed and fine-tuned, or, for a dense model, trained on
/// (the equal-training control).</param>
internal readonly record struct PlanKind(LayoutKind? Layout, bool FromDense)
{
    /// <summary>A dense model trained from scratch, <c>dense</c>.</summary>
    public static PlanKind Dense => new(null, FromDense: false);

    /// <summary>The equal-training dense control, <c>dense-long</c>.</summary>
    public static PlanKind DenseLong => new(null, FromDense: true);

    /// <summary>A layout trained from scratch, named as the layout kind (e.g. <c>toeplitz</c>).</summary>
    public static PlanKind Scratch(LayoutKind layout) => new(layout, FromDense: false);

    /// <summary>A layout compressed from a trained dense model and fine-tuned, <c>kind-svd</c> (e.g. <c>hybrid-svd</c>).</summary>
    public static PlanKind Compressed(LayoutKind layout) => new(layout, FromDense: true);

    /// <summary>The row kind: <c>dense</c>, <c>dense-long</c>, the layout's name, or the layout's name with <c>-svd</c>.</summary>
    public override string ToString()
        => Layout is { } layout ? layout.Name() + (FromDense ? "-svd" : string.Empty) : FromDense ? "dense-long" : "dense";
}
