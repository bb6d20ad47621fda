using System;
using System.Collections.Generic;

namespace CompactRnn.Speech.Metrics;

/// <summary>
/// Levenshtein alignment (Wagner–Fischer dynamic programme, unit costs) that reports substitutions,
/// deletions and insertions separately: D[i, j] = min(D[i−1, j−1] + [r_i ≠ h_j], D[i−1, j] + 1, D[i, j−1] + 1).
/// Among alignments with the minimum total, the backtrace prefers matches/substitutions, then deletions,
/// then insertions (the usual sclite-style tie-break).
/// </summary>
public static class EditDistance
{
    /// <summary>Aligns <paramref name="hypothesis"/> to <paramref name="reference"/>.</summary>
    public static EditCounts Align<T>(IReadOnlyList<T> reference, IReadOnlyList<T> hypothesis, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        comparer ??= EqualityComparer<T>.Default;
        int n = reference.Count;
        int m = hypothesis.Count;
        var cost = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            cost[i, 0] = i;
        }

        for (int j = 0; j <= m; j++)
        {
            cost[0, j] = j;
        }

        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                int diagonal = cost[i - 1, j - 1] + (comparer.Equals(reference[i - 1], hypothesis[j - 1]) ? 0 : 1);
                cost[i, j] = Math.Min(diagonal, Math.Min(cost[i - 1, j], cost[i, j - 1]) + 1);
            }
        }

        int substitutions = 0, deletions = 0, insertions = 0;
        int a = n, b = m;
        while (a > 0 || b > 0)
        {
            if (a > 0 && b > 0)
            {
                bool equal = comparer.Equals(reference[a - 1], hypothesis[b - 1]);
                if (cost[a, b] == cost[a - 1, b - 1] + (equal ? 0 : 1))
                {
                    substitutions += equal ? 0 : 1;
                    a--;
                    b--;
                    continue;
                }
            }

            if (a > 0 && cost[a, b] == cost[a - 1, b] + 1)
            {
                deletions++;
                a--;
            }
            else
            {
                insertions++;
                b--;
            }
        }

        return new EditCounts(substitutions, deletions, insertions, n);
    }
}
