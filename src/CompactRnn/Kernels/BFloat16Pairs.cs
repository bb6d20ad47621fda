namespace CompactRnn.Kernels;

/// <summary>bf16 storage: a pair is L 32-bit words, each holding a low-half and a high-half weight, widened exactly.</summary>
internal readonly struct BFloat16Pairs : IPackedPairs<uint>
{
    /// <inheritdoc />
    public static int PairLength(int lanes) => lanes;

    /// <inheritdoc />
    /// <remarks>Rounds to bf16 (nearest, ties to even): low half for columns below L, high half above.</remarks>
    public static void Store(uint[] packed, int pairStart, int within, int lanes, float value)
        => packed[pairStart + (within % lanes)] |= (uint)BFloat16.Round(value) << (within >= lanes ? 16 : 0);

    /// <inheritdoc />
    public static void LoadPair<TL, TV>(ref uint source, nint offset, out TV low, out TV high)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.WidenBFloat16Pairs(ref source, offset, out low, out high);
}
