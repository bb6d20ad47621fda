namespace CompactRnn.Kernels;

/// <summary>Float32 storage: a pair is two consecutive vectors of L floats.</summary>
internal readonly struct Float32Pairs : IPackedPairs<float>
{
    /// <inheritdoc />
    public static int PairLength(int lanes) => 2 * lanes;

    /// <inheritdoc />
    public static void Store(float[] packed, int pairStart, int within, int lanes, float value) => packed[pairStart + within] = value;

    /// <inheritdoc />
    public static void LoadPair<TL, TV>(ref float source, nint offset, out TV low, out TV high)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        low = TL.Load(ref source, offset);
        high = TL.Load(ref source, offset + TL.Count);
    }
}
