namespace CompactRnn.Kernels;

/// <summary>bf16 storage: a pair is L 32-bit words, each holding a low-half and a high-half weight, widened exactly.</summary>
internal readonly struct BFloat16Pairs : IPackedPairs<uint>
{
    /// <inheritdoc />
    public static int PairLength(int lanes) => lanes;

    /// <inheritdoc />
    public static void LoadPair<TOps, TVector>(ref uint source, nint offset, out TVector low, out TVector high)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
        => TOps.WidenBFloat16Pairs(ref source, offset, out low, out high);
}
