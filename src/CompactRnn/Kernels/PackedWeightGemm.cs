using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// A weight matrix W (m×n, row-major) packed once as the B̂ operand of the forward product <c>Y += X·Wᵀ</c>, in the
/// <see cref="PackedGemm"/> micro-panel order (per KC-deep slice, panels of NR rows of W, zero-padded), so each product
/// runs only the micro-kernel tiles: no per-call pack of W, no transposed add of <see cref="TransposedTileGemm"/>'s tiles,
/// and W read as one sequential stream. Worth its m·n floats where W is multiplied many times, as by every step of a
/// batch inference.
/// </summary>
/// <remarks>
/// Each entry of Y gets, per KC slice, the micro-kernel's <c>0 + Σ_p</c> fused multiply-adds in increasing p, added once into
/// Y: the sums <see cref="Gemm.MultiplyAddTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
/// forms on the paths it takes for the rows <see cref="Serves"/> accepts (<see cref="TransposedTileGemm"/>, <see cref="PackedGemm"/>,
/// same slices, same vector width), so the result is bit for bit the same; and the same for any cut of W's rows at
/// multiples of <see cref="PanelRows"/>.
/// </remarks>
internal sealed class PackedWeightGemm
{
    private readonly float[] _panels;
    private readonly int _lanes;

    private PackedWeightGemm(float[] panels, int rows, int columns, int lanes, int paddedRows)
    {
        _panels = panels;
        Rows = rows;
        Columns = columns;
        _lanes = lanes;
        PaddedRows = paddedRows;
    }

    /// <summary>m, rows of W (columns of Y).</summary>
    public int Rows { get; }

    /// <summary>n, columns of W (the depth).</summary>
    public int Columns { get; }

    /// <summary>NR: rows of W per panel; a cut of W's rows must fall on a multiple of this (or at m).</summary>
    public int PanelRows => GemmMicroKernel.VectorsPerRow * _lanes;

    /// <summary>Bytes of the packed copy.</summary>
    public long Bytes => AllocatedBytes.Of(_panels);

    private int PaddedRows { get; }

    /// <summary>Packs W at the vector width <see cref="Gemm"/> takes for a product with m columns.</summary>
    public static PackedWeightGemm Create(ReadOnlySpan<float> weights, int rows, int columns)
    {
        if (Vector512.IsHardwareAccelerated && rows >= Vector512<float>.Count)
        {
            return Create<Lanes512, Vector512<float>>(weights, rows, columns);
        }

        if (Vector256.IsHardwareAccelerated && rows >= Vector256<float>.Count)
        {
            return Create<Lanes256, Vector256<float>>(weights, rows, columns);
        }

        return Vector128.IsHardwareAccelerated ? Create<Lanes128, Vector128<float>>(weights, rows, columns) : Create<Lanes1, float>(weights, rows, columns);
    }

    /// <summary>
    /// Whether <see cref="Gemm"/> multiplies <paramref name="batchRows"/> rows through the tiles this pack reproduces, at the
    /// pack's vector width: more rows than the inner-product and small-batch kernels take (their sums are ordered
    /// differently), and more depth than the row sweep's.
    /// </summary>
    public bool Serves(int batchRows) => batchRows > Gemm.DotRowLimit && Columns > Gemm.AxpyDepthLimit;

    /// <summary>
    /// <c>Y[i, j] += Σ_p X[i, p]·W[j, p]</c> for i &lt; <paramref name="batchRows"/> and <paramref name="first"/> ≤ j &lt;
    /// <paramref name="first"/> + <paramref name="count"/>, with <c>Y[i, j] = y[i·ldy + j]</c>.
    /// </summary>
    /// <param name="x">[batchRows, n] row-major.</param>
    /// <param name="batchRows">M.</param>
    /// <param name="y">Y, row stride <paramref name="ldy"/>; added to.</param>
    /// <param name="ldy">Row stride of Y, at least m.</param>
    /// <param name="first">First row of W (column of Y); a multiple of <see cref="PanelRows"/>.</param>
    /// <param name="count">Rows of W; <c>first + count</c> a multiple of <see cref="PanelRows"/> or m.</param>
    public void MultiplyAdd(ReadOnlySpan<float> x, int batchRows, Span<float> y, int ldy, int first, int count)
    {
        if (_lanes == Vector512<float>.Count)
        {
            MultiplyAdd<Lanes512, Vector512<float>>(x, batchRows, y, ldy, first, count);
        }
        else if (_lanes == Vector256<float>.Count)
        {
            MultiplyAdd<Lanes256, Vector256<float>>(x, batchRows, y, ldy, first, count);
        }
        else if (_lanes == Vector128<float>.Count)
        {
            MultiplyAdd<Lanes128, Vector128<float>>(x, batchRows, y, ldy, first, count);
        }
        else
        {
            MultiplyAdd<Lanes1, float>(x, batchRows, y, ldy, first, count);
        }
    }

    private static PackedWeightGemm Create<TL, TV>(ReadOnlySpan<float> weights, int rows, int columns)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int nr = GemmMicroKernel.VectorsPerRow * TL.Count, padded = (rows + nr - 1) / nr * nr;
        float[] panels = new float[checked(padded * columns)];
        ref float w = ref MemoryMarshal.GetReference(weights);
        for (int pc = 0; pc < columns; pc += PackedGemm.DepthBlock)
        {
            // Slice pc holds kc × padded floats, so it starts at pc · padded; B[p, j] = W[j, pc + p].
            int kc = Math.Min(PackedGemm.DepthBlock, columns - pc);
            GemmPacking.PackB<TL, TV>(ref Unsafe.Add(ref w, pc), 1, columns, kc, rows, ref panels[pc * padded]);
        }

        return new PackedWeightGemm(panels, rows, columns, TL.Count, padded);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyAdd<TL, TV>(ReadOnlySpan<float> x, int batchRows, Span<float> y, int ldy, int first, int count)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int mr = GemmMicroKernel.Rows<TL, TV>(), nr = PanelRows, k = Columns;
        int tileLength = (mr * nr + 15) / 16 * 16;
        Span<float> workspace = GemmWorkspace.Rent(tileLength + (Math.Min(k, PackedGemm.DepthBlock) * mr));
        ref float tile = ref MemoryMarshal.GetReference(workspace);
        ref float packedA = ref Unsafe.Add(ref tile, tileLength);
        ref float a = ref MemoryMarshal.GetReference(x);
        ref float c = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), first);
        for (int pc = 0; pc < k; pc += PackedGemm.DepthBlock)
        {
            int kc = Math.Min(PackedGemm.DepthBlock, k - pc);
            ref float packedB = ref _panels[(pc * PaddedRows) + (first * kc)];
            for (int ic = 0; ic < batchRows; ic += PackedGemm.RowBlock)
            {
                // Rows of X are read in place (MR row streams); only a ragged last panel is packed, zero-padded.
                int mc = Math.Min(PackedGemm.RowBlock, batchRows - ic), wholeRows = mc - (mc % mr);
                ref float aBlock = ref Unsafe.Add(ref a, (ic * k) + pc);
                if (wholeRows < mc)
                {
                    GemmPacking.PackA(ref Unsafe.Add(ref aBlock, wholeRows * k), k, 1, mc - wholeRows, kc, mr, ref packedA);
                }

                PackedGemm.MultiplyBlock<TL, TV>(mc, count, kc, ldy, ref packedA, ref packedB, ref Unsafe.Add(ref c, ic * ldy), ref tile,
                    ref aBlock, k, 1, wholeRows);
            }
        }
    }
}
