namespace CompactRnn.Kernels;

/// <summary>
/// How a packed streaming matrix stores one (low, high) pair of weight vectors, the 2L weights of one row in one
/// column block: <see cref="PackedGemv"/> runs the same kernel over any storage that can load such a pair.
/// </summary>
/// <typeparam name="TElement">The stored element (float, or uint holding two bf16).</typeparam>
internal interface IPackedPairs<TElement>
    where TElement : unmanaged
{
    /// <summary>Elements one pair occupies at <paramref name="lanes"/> float lanes.</summary>
    static abstract int PairLength(int lanes);

    /// <summary>Writes the weight of column <paramref name="within"/> (0 … 2L−1) of the pair that starts at <paramref name="pairStart"/>.</summary>
    static abstract void Store(TElement[] packed, int pairStart, int within, int lanes, float value);

    /// <summary>Loads the pair at <paramref name="offset"/> as two float vectors (columns 0…L−1 and L…2L−1 of the block).</summary>
    static abstract void LoadPair<TL, TV>(ref TElement source, nint offset, out TV low, out TV high)
        where TL : struct, ILanes<TV>
        where TV : struct;
}
