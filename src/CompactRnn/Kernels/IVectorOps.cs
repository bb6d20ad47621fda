namespace CompactRnn.Kernels;

/// <summary>
/// The handful of SIMD operations the matrix kernels need, for one vector width. A kernel is written once as
/// a generic method over <typeparamref name="TVector"/> and an implementing struct, and the JIT specialises it
/// per width (the pattern of System.Numerics.Tensors' operator structs), so no algorithm is copied per ISA.
/// </summary>
/// <typeparam name="TVector">The register type: <c>Vector512&lt;float&gt;</c>, …, or <see cref="float"/> itself.</typeparam>
internal interface IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>Number of float lanes in <typeparamref name="TVector"/>.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary>All lanes equal to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>Loads <see cref="Count"/> floats starting <paramref name="offset"/> elements after <paramref name="source"/>.</summary>
    static abstract TVector Load(ref float source, nint offset);

    /// <summary>Stores <see cref="Count"/> floats starting <paramref name="offset"/> elements after <paramref name="destination"/>.</summary>
    static abstract void Store(TVector value, ref float destination, nint offset);

    /// <summary><c>left · right + addend</c> per lane, fused where the hardware has it.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary><c>left + right</c> per lane.</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary>Sum of all lanes.</summary>
    static abstract float Sum(TVector value);

    /// <summary>
    /// Widens <see cref="Count"/> packed bf16 pairs to two float vectors: each 32-bit word at
    /// <paramref name="offset"/> words after <paramref name="source"/> holds one bf16 in its low half (to
    /// <paramref name="low"/>, shifted left by 16) and one in its high half (to <paramref name="high"/>, low half
    /// masked off). bf16 is the upper half of a float32, so both are exact.
    /// </summary>
    static abstract void WidenBFloat16Pairs(ref uint source, nint offset, out TVector low, out TVector high);

    /// <summary>
    /// Loads 2·<see cref="Count"/> signed bytes at <paramref name="offset"/> and converts them exactly to floats: the
    /// first <see cref="Count"/> to <paramref name="low"/>, the next to <paramref name="high"/>.
    /// </summary>
    static abstract void WidenInt8(ref sbyte source, nint offset, out TVector low, out TVector high);
}
