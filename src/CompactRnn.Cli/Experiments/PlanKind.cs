using System;

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

    private const string CompressedSuffix = "-svd";

    /// <summary>Whether this is one of the dense references (<see cref="Dense"/> or <see cref="DenseLong"/>).</summary>
    public bool IsDense => Layout is null;

    /// <summary>The row kind: <c>dense</c>, <c>dense-long</c>, the layout's name, or the layout's name with <c>-svd</c>.</summary>
    public override string ToString()
        => Layout is { } layout ? layout.Name() + (FromDense ? CompressedSuffix : string.Empty) : FromDense ? "dense-long" : "dense";

    /// <summary>Reads the row kind <see cref="ToString"/> writes: <c>Parse(kind.ToString()) == kind</c> for every kind.</summary>
    /// <param name="text">E.g. <c>dense</c>, <c>dense-long</c>, <c>toeplitz</c>, <c>hybrid-svd</c>.</param>
    /// <exception cref="FormatException">Any other text; the message quotes it.</exception>
    public static PlanKind Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == Dense.ToString())
        {
            return Dense;
        }

        if (text == DenseLong.ToString())
        {
            return DenseLong;
        }

        bool compressed = text.EndsWith(CompressedSuffix, StringComparison.Ordinal);
        try
        {
            LayoutKind layout = LayoutKindText.Parse(compressed ? text[..^CompressedSuffix.Length] : text);
            return compressed ? Compressed(layout) : Scratch(layout);
        }
        catch (FormatException error)
        {
            throw new FormatException($"Unknown row kind '{text}': expected dense, dense-long, a layout kind, or a layout kind with '{CompressedSuffix}' ({error.Message})", error);
        }
    }
}
