namespace CompactRnn.Speech.Metrics;

/// <summary>
/// Outcome of a minimum-edit alignment: substitutions S, deletions D, insertions I against a reference of
/// N tokens. Error rate = (S + D + I)/N (can exceed 1 with many insertions).
/// </summary>
/// <param name="Substitutions">Reference tokens replaced by a different hypothesis token.</param>
/// <param name="Deletions">Reference tokens missing from the hypothesis.</param>
/// <param name="Insertions">Hypothesis tokens with no reference counterpart.</param>
/// <param name="ReferenceLength">N, the number of reference tokens.</param>
public readonly record struct EditCounts(int Substitutions, int Deletions, int Insertions, int ReferenceLength)
{
    /// <summary>S + D + I.</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>(S + D + I)/N; 0 for an empty reference with an empty hypothesis, +∞ if only insertions.</summary>
    public double Rate => ReferenceLength > 0 ? (double)Errors / ReferenceLength : (Errors == 0 ? 0.0 : double.PositiveInfinity);

    /// <summary>Component-wise sum (for corpus totals).</summary>
    public static EditCounts operator +(EditCounts left, EditCounts right) => new(
        left.Substitutions + right.Substitutions,
        left.Deletions + right.Deletions,
        left.Insertions + right.Insertions,
        left.ReferenceLength + right.ReferenceLength);

    /// <summary>Component-wise sum (for corpus totals).</summary>
    public static EditCounts Add(EditCounts left, EditCounts right) => left + right;
}
