namespace CompactRnn.Kernels;

/// <summary>Float32 storage: a pair is two consecutive vectors of L floats.</summary>
internal readonly struct Float32Pairs : IPackedPairs<float>
{
    /// <inheritdoc />
    public static int PairLength(int lanes) => 2 * lanes;

    /// <inheritdoc />
    public static void Store(float[] packed, int pairStart, int within, int lanes, float value) => packed[pairStart + within] = value;

    /// <inheritdoc />
    public static void LoadPair<TOps, TVector>(ref float source, nint offset, out TVector low, out TVector high)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        low = TOps.Load(ref source, offset);
        high = TOps.Load(ref source, offset + TOps.Count);
    }
}
