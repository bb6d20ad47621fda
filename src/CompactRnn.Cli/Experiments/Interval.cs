namespace CompactRnn.Cli.Experiments;

/// <summary>A confidence interval in WER points; NaN ends when no interval could be computed.</summary>
internal readonly record struct Interval(double Low, double High)
{
    public static Interval Unknown { get; } = new(double.NaN, double.NaN);

    public bool IsKnown => !double.IsNaN(Low) && !double.IsNaN(High);
}
