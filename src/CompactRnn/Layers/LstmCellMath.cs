using System;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Layers;

/// <summary>
/// The element-wise part of one LSTMP step for one batch row (docs/math.md §2), forward and backward,
/// line by line with the same symbols. Gate pre-activations arrive stacked as [a_i, a_f, a_g, a_o].
/// </summary>
internal static class LstmCellMath
{
    /// <summary>
    /// Turns pre-activations into gates in place and computes the new cell and m_t:
    /// <c>i = σ(a_i + p_i⊙c_{t−1})</c>, <c>f = σ(a_f + p_f⊙c_{t−1})</c>, <c>g = tanh(a_g)</c>,
    /// <c>ĉ = f⊙c_{t−1} + i⊙g</c>, <c>c = clip(ĉ, κ_c)</c>, <c>o = σ(a_o + p_o⊙c)</c>, <c>m = o⊙tanh(c)</c>.
    /// </summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> peepholes, ReadOnlySpan<float> cellPrevious, float cellClip,
        Span<float> cellBeforeClip, Span<float> cell, Span<float> tanhCell, Span<float> m)
    {
        // One fused pass over the cells, widest accelerated lanes first; the scalar lanes finish the last n mod width
        // cells with the same code. Fusing keeps each cell's values in registers instead of a dozen passes over the row.
        int n = cell.Length, k = 0;
        if (Lanes512.IsAccelerated && n >= 16)
        {
            k = ForwardLanes<Lanes512, Vector512<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, m, 0);
        }
        else if (Lanes256.IsAccelerated && n >= 8)
        {
            k = ForwardLanes<Lanes256, Vector256<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, m, 0);
        }
        else if (Lanes128.IsAccelerated && n >= 4)
        {
            k = ForwardLanes<Lanes128, Vector128<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, m, 0);
        }

        ForwardLanes<Lanes1, float>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, m, k);
    }

    /// <summary>
    /// <see cref="Forward"/> over whole vectors of <typeparamref name="TL"/> lanes from cell <paramref name="start"/>;
    /// returns the number of cells done (σ and tanh from <see cref="LaneMath"/>).
    /// </summary>
    private static int ForwardLanes<TL, TV>(Span<float> gates, ReadOnlySpan<float> peepholes, ReadOnlySpan<float> cellPrevious, float cellClip,
        Span<float> cellBeforeClip, Span<float> cell, Span<float> tanhCell, Span<float> m, int start)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        int n = cell.Length, width = TL.Count, end = start + ((n - start) / width * width);
        bool hasPeepholes = !peepholes.IsEmpty;
        TV clipHigh = TL.Broadcast(cellClip), clipLow = TL.Broadcast(-cellClip);
        for (int k = start; k < end; k += width)
        {
            TV cPrev = TL.Load(cellPrevious, k);
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
                aO = TL.Add(aO, TL.Multiply(TL.Load(peepholes, (2 * n) + k), c));              // a_o + p_o ⊙ c_t (the new cell)
            }

            TV o = LaneMath.Sigmoid<TL, TV>(aO), tc = LaneMath.Tanh<TL, TV>(c);
            TL.Store(i, gates, k);
            TL.Store(f, gates, n + k);
            TL.Store(g, gates, (2 * n) + k);
            TL.Store(o, gates, (3 * n) + k);
            TL.Store(cHat, cellBeforeClip, k);
            TL.Store(c, cell, k);
            TL.Store(tc, tanhCell, k);
            TL.Store(TL.Multiply(o, tc), m, k);                                                 // m = o ⊙ tanh(c)
        }

        return end;
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> for one row. Reads dm and the carried dc_next, writes
    /// <c>dGates = [da_i, da_f, da_g, da_o]</c>, adds to the peephole gradient, and replaces
    /// <paramref name="dCell"/> (dc_next on entry) with the cell gradient for step t−1.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> peepholes, ReadOnlySpan<float> cellPrevious, float cellClip,
        ReadOnlySpan<float> cellBeforeClip, ReadOnlySpan<float> cell, ReadOnlySpan<float> tanhCell, ReadOnlySpan<float> dm,
        Span<float> dCell, Span<float> dGates, Span<float> dPeepholes)
    {
        int n = cell.Length;
        bool hasPeepholes = !peepholes.IsEmpty;

        // Vector lanes first (widest accelerated), the same operations in the same order as the scalar loop below,
        // so every path gives the same bits; the scalar loop finishes the last n mod width cells.
        int k = 0;
        if (Lanes512.IsAccelerated && n >= 16)
        {
            k = BackwardLanes<Lanes512, Vector512<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, dm, dCell, dGates, dPeepholes);
        }
        else if (Lanes256.IsAccelerated && n >= 8)
        {
            k = BackwardLanes<Lanes256, Vector256<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, dm, dCell, dGates, dPeepholes);
        }
        else if (Lanes128.IsAccelerated && n >= 4)
        {
            k = BackwardLanes<Lanes128, Vector128<float>>(gates, peepholes, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, dm, dCell, dGates, dPeepholes);
        }

        for (; k < n; k++)
        {
            float i = gates[k], f = gates[n + k], g = gates[(2 * n) + k], o = gates[(3 * n) + k];
            float tc = tanhCell[k];
            float daO = dm[k] * tc * o * (1 - o);                                      // da_o = dm ⊙ tanh c ⊙ o(1−o)
            float dc = dCell[k] + (dm[k] * o * (1 - (tc * tc)));                        // dc = dc_next + dm ⊙ o ⊙ (1 − tanh²c)
            if (hasPeepholes)
            {
                dc += peepholes[(2 * n) + k] * daO;                                     //      + p_o ⊙ da_o
                dPeepholes[(2 * n) + k] += daO * cell[k];                               // dp_o += da_o ⊙ c_t
            }

            float dcHat = cellClip > 0 && MathF.Abs(cellBeforeClip[k]) >= cellClip ? 0f : dc; // dĉ = dc ⊙ [|ĉ| < κ_c]
            float cPrev = cellPrevious[k];
            float daI = dcHat * g * i * (1 - i);                                        // da_i = dĉ ⊙ g ⊙ i(1−i)
            float daF = dcHat * cPrev * f * (1 - f);                                    // da_f = dĉ ⊙ c_{t−1} ⊙ f(1−f)
            float daG = dcHat * i * (1 - (g * g));                                      // da_g = dĉ ⊙ i ⊙ (1−g²)
            float dcPrev = dcHat * f;                                                   // dc_{t−1} = dĉ ⊙ f
            if (hasPeepholes)
            {
                dPeepholes[k] += daI * cPrev;                                           // dp_i += da_i ⊙ c_{t−1}
                dPeepholes[n + k] += daF * cPrev;                                       // dp_f += da_f ⊙ c_{t−1}
                dcPrev += (peepholes[k] * daI) + (peepholes[n + k] * daF);              //      + p_i ⊙ da_i + p_f ⊙ da_f
            }

            dGates[k] = daI;
            dGates[n + k] = daF;
            dGates[(2 * n) + k] = daG;
            dGates[(3 * n) + k] = daO;
            dCell[k] = dcPrev;
        }
    }

    /// <summary>
    /// <see cref="Backward"/> over whole vectors of <typeparamref name="TL"/> lanes (written once for every width);
    /// returns the number of cells done. Plain multiplies and adds in the scalar loop's order (no fused
    /// multiply-add), so the lanes agree with it bit for bit.
    /// </summary>
    private static int BackwardLanes<TL, TV>(ReadOnlySpan<float> gates, ReadOnlySpan<float> peepholes, ReadOnlySpan<float> cellPrevious, float cellClip,
        ReadOnlySpan<float> cellBeforeClip, ReadOnlySpan<float> cell, ReadOnlySpan<float> tanhCell, ReadOnlySpan<float> dm,
        Span<float> dCell, Span<float> dGates, Span<float> dPeepholes)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        int n = cell.Length, width = TL.Count, end = n - (n % width);
        bool hasPeepholes = !peepholes.IsEmpty;
        TV one = TL.Broadcast(1f), zero = TL.Broadcast(0f), clip = TL.Broadcast(cellClip);
        for (int k = 0; k < end; k += width)
        {
            TV i = TL.Load(gates, k), f = TL.Load(gates, n + k), g = TL.Load(gates, (2 * n) + k), o = TL.Load(gates, (3 * n) + k);
            TV tc = TL.Load(tanhCell, k), dmk = TL.Load(dm, k);
            TV daO = TL.Multiply(TL.Multiply(TL.Multiply(dmk, tc), o), TL.Subtract(one, o));
            TV dc = TL.Add(TL.Load(dCell, k), TL.Multiply(TL.Multiply(dmk, o), TL.Subtract(one, TL.Multiply(tc, tc))));
            if (hasPeepholes)
            {
                dc = TL.Add(dc, TL.Multiply(TL.Load(peepholes, (2 * n) + k), daO));
                TL.Store(TL.Add(TL.Load(dPeepholes, (2 * n) + k), TL.Multiply(daO, TL.Load(cell, k))), dPeepholes, (2 * n) + k);
            }

            TV dcHat = cellClip > 0 ? TL.Select(TL.GreaterThanOrEqual(TL.Abs(TL.Load(cellBeforeClip, k)), clip), zero, dc) : dc;
            TV cPrev = TL.Load(cellPrevious, k);
            TV daI = TL.Multiply(TL.Multiply(TL.Multiply(dcHat, g), i), TL.Subtract(one, i));
            TV daF = TL.Multiply(TL.Multiply(TL.Multiply(dcHat, cPrev), f), TL.Subtract(one, f));
            TV daG = TL.Multiply(TL.Multiply(dcHat, i), TL.Subtract(one, TL.Multiply(g, g)));
            TV dcPrev = TL.Multiply(dcHat, f);
            if (hasPeepholes)
            {
                TL.Store(TL.Add(TL.Load(dPeepholes, k), TL.Multiply(daI, cPrev)), dPeepholes, k);
                TL.Store(TL.Add(TL.Load(dPeepholes, n + k), TL.Multiply(daF, cPrev)), dPeepholes, n + k);
                dcPrev = TL.Add(dcPrev, TL.Add(TL.Multiply(TL.Load(peepholes, k), daI), TL.Multiply(TL.Load(peepholes, n + k), daF)));
            }

            TL.Store(daI, dGates, k);
            TL.Store(daF, dGates, n + k);
            TL.Store(daG, dGates, (2 * n) + k);
            TL.Store(daO, dGates, (3 * n) + k);
            TL.Store(dcPrev, dCell, k);
        }

        return end;
    }
}
