using System;

namespace CompactRnn.Kernels;

/// <summary>
/// The few float-lane operations the FFT and complex pointwise kernels need, abstracted over the vector
/// width so that each kernel is written once as a generic method and instantiated per width
/// (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>, <see cref="Lanes1"/>).
/// The JIT specialises generic methods over struct type arguments, so the calls inline to plain
/// vector instructions.
/// </summary>
/// <typeparam name="TV">The lane type: a hardware vector of floats, or <see cref="float"/> itself.</typeparam>
internal interface ILanes<TV>
    where TV : unmanaged
{
    /// <summary>Number of floats per lane value.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> floats starting at <paramref name="index"/> (bounds are the caller's duty).</summary>
    static abstract TV Load(ReadOnlySpan<float> source, int index);

    /// <summary>Stores <see cref="Count"/> floats starting at <paramref name="index"/>.</summary>
    static abstract void Store(TV value, Span<float> destination, int index);

    /// <summary>All lanes equal to <paramref name="value"/>.</summary>
    static abstract TV Broadcast(float value);

    /// <summary>Lane-wise sum.</summary>
    static abstract TV Add(TV left, TV right);

    /// <summary>Lane-wise difference.</summary>
    static abstract TV Subtract(TV left, TV right);

    /// <summary>Lane-wise product.</summary>
    static abstract TV Multiply(TV left, TV right);

    /// <summary><c>a·b + c</c>, fused where the hardware has FMA (so ISA paths may differ in the last bit).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>Lane i of the result is lane <c>indices[i]</c> of <paramref name="value"/>; the indices are int32 bit patterns stored in float lanes.</summary>
    static abstract TV Permute(TV value, TV indices);

    /// <summary>Bitwise select: <paramref name="ifSet"/> where <paramref name="mask"/> bits are set, else <paramref name="ifClear"/>.</summary>
    static abstract TV Select(TV mask, TV ifSet, TV ifClear);

    /// <summary>Lane-wise absolute value.</summary>
    static abstract TV Abs(TV value);

    /// <summary>Lane-wise <c>left ≥ right</c> as a mask for <see cref="Select"/>: all bits set where true (false for NaN).</summary>
    static abstract TV GreaterThanOrEqual(TV left, TV right);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TV Divide(TV left, TV right);

    /// <summary>Lane-wise minimum (NaN if either lane is NaN).</summary>
    static abstract TV Min(TV left, TV right);

    /// <summary>Lane-wise maximum (NaN if either lane is NaN).</summary>
    static abstract TV Max(TV left, TV right);

    /// <summary>Lane-wise rounding to the nearest integer (ties to even).</summary>
    static abstract TV Round(TV value);

    /// <summary>Lane-wise <c>value · 2^exponent</c> for integral <paramref name="exponent"/> lanes whose result stays a normal float (the exponent is added to the bits).</summary>
    static abstract TV ScaleByPowerOfTwo(TV value, TV exponent);
}
