using System;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Layers;

/// <summary>
/// The forward-only element-wise step of batch inference for one batch row and a range of cells: what
/// <see cref="LstmCellMath.Forward"/> computes, with the same operations in the same order at the same vector width
/// for every cell, so the values are bit for bit the training forward's; it keeps only c_t (in place) and m_t, since
/// nothing runs backward (no gates, ĉ or tanh c stored).
/// </summary>
internal static class LstmCellInference
{
    /// <summary>The cell ranges a caller may cut: starts at multiples of this many cells give every cell the lanes the
    /// whole-row <see cref="LstmCellMath.Forward"/> gives it (the widest vector has 16 lanes).</summary>
    public const int RangeAlignment = 16;

    /// <summary>
    /// For cells <c>start ≤ k &lt; end</c> of one row: <c>i = σ(a_i + p_i⊙c_{t−1})</c>, <c>f = σ(a_f + p_f⊙c_{t−1})</c>,
    /// <c>g = tanh(a_g)</c>, <c>c_t = clip(f⊙c_{t−1} + i⊙g, κ_c)</c>, <c>o = σ(a_o + p_o⊙c_t)</c>, <c>m = o⊙tanh(c_t)</c>.
    /// </summary>
    /// <param name="gates">The row's pre-activations [a_i, a_f, a_g, a_o], 4n floats (read only).</param>
    /// <param name="peepholes">[p_i, p_f, p_o] (3n), or empty.</param>
    /// <param name="cell">The row's cell state, n floats: c_{t−1} on entry, c_t on return.</param>
    /// <param name="cellClip">κ_c; 0 for none.</param>
    /// <param name="m">The row's m_t, n floats; cells of the range are written.</param>
    /// <param name="start">First cell; a multiple of <see cref="RangeAlignment"/>.</param>
    /// <param name="end">One past the last cell.</param>
    public static void Forward(ReadOnlySpan<float> gates, ReadOnlySpan<float> peepholes, Span<float> cell, float cellClip, Span<float> m, int start, int end)
    {
        // The width is chosen from n exactly as LstmCellMath.Forward does, so a cell runs in the vector or the scalar lanes
        // there iff it does here (with aligned starts the vector part ends at the same cell).
        int n = cell.Length, k = start;
        if (Lanes512.IsAccelerated && n >= 16)
        {
            k = ForwardLanes<Lanes512, Vector512<float>>(gates, peepholes, cell, cellClip, m, start, end);
        }
        else if (Lanes256.IsAccelerated && n >= 8)
        {
            k = ForwardLanes<Lanes256, Vector256<float>>(gates, peepholes, cell, cellClip, m, start, end);
        }
        else if (Lanes128.IsAccelerated && n >= 4)
        {
            k = ForwardLanes<Lanes128, Vector128<float>>(gates, peepholes, cell, cellClip, m, start, end);
        }

        ForwardLanes<Lanes1, float>(gates, peepholes, cell, cellClip, m, k, end);
    }

    /// <summary><see cref="Forward"/> over whole vectors from <paramref name="start"/>; returns the first cell not done.
    /// The expressions are <see cref="LstmCellMath"/>'s, term for term (plain multiplies and adds, no fused ones).</summary>
    private static int ForwardLanes<TL, TV>(ReadOnlySpan<float> gates, ReadOnlySpan<float> peepholes, Span<float> cell, float cellClip,
        Span<float> m, int start, int end)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        int n = cell.Length, width = TL.Count, stop = start + ((end - start) / width * width);
        bool hasPeepholes = !peepholes.IsEmpty;
        TV clipHigh = TL.Broadcast(cellClip), clipLow = TL.Broadcast(-cellClip);
        for (int k = start; k < stop; k += width)
        {
            TV cPrev = TL.Load(cell, k);
            TV aI = TL.Load(gates, k), aF = TL.Load(gates, n + k), aG = TL.Load(gates, (2 * n) + k), aO = TL.Load(gates, (3 * n) + k);
            if (hasPeepholes)
            {
                aI = TL.Add(aI, TL.Multiply(TL.Load(peepholes, k), cPrev));                    // a_i + p_i ⊙ c_{t−1}
                aF = TL.Add(aF, TL.Multiply(TL.Load(peepholes, n + k), cPrev));                // a_f + p_f ⊙ c_{t−1}
            }

            TV i = LaneMath.Sigmoid<TL, TV>(aI), f = LaneMath.Sigmoid<TL, TV>(aF), g = LaneMath.Tanh<TL, TV>(aG);
            TV cHat = TL.Add(TL.Multiply(f, cPrev), TL.Multiply(i, g));                         // ĉ = f ⊙ c_{t−1} + i ⊙ g
            TV c = cellClip > 0 ? TL.Min(TL.Max(cHat, clipLow), clipHigh) : cHat;               // c = clip(ĉ)
            if (hasPeepholes)
            {
                aO = TL.Add(aO, TL.Multiply(TL.Load(peepholes, (2 * n) + k), c));              // a_o + p_o ⊙ c_t
            }

            TV o = LaneMath.Sigmoid<TL, TV>(aO);
            TL.Store(c, cell, k);
            TL.Store(TL.Multiply(o, LaneMath.Tanh<TL, TV>(c)), m, k);                          // m = o ⊙ tanh(c)
        }

        return stop;
    }
}
