namespace CompactRnn.Kernels;

/// <summary>int8 storage: a pair is 2L signed bytes (columns 0…2L−1 of the block in order), widened exactly to floats.</summary>
internal readonly struct Int8Pairs : IPackedPairs<sbyte>
{
    /// <inheritdoc />
    public static int PairLength(int lanes) => 2 * lanes;

    /// <inheritdoc />
    /// <remarks>The value must already be an integer in [−127, 127] (<see cref="Int8Matrix"/> quantizes before packing).</remarks>
    public static void Store(sbyte[] packed, int pairStart, int within, int lanes, float value)
        => packed[pairStart + within] = checked((sbyte)value);

    /// <inheritdoc />
    public static void LoadPair<TL, TV>(ref sbyte source, nint offset, out TV low, out TV high)
        where TL : struct, ILanes<TV>
        where TV : struct
        => TL.WidenInt8(ref source, offset, out low, out high);
}
