using System;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>
/// The float-lane operations every SIMD kernel is written over (GEMM and GEMV drivers, FFT butterflies, complex spans,
/// the LSTM cell, <see cref="LaneMath"/>, the optimiser and the gradient norm's sum of squares), abstracted over the vector width so that
/// each kernel is written once as a generic method <c>Kernel&lt;TL, TV&gt;</c> and instantiated per width
/// (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>, <see cref="Lanes1"/>). The JIT specialises
/// generic methods over struct type arguments, so the calls inline to plain vector instructions.
/// </summary>
/// <remarks>
/// One meaning per operation. In particular <see cref="MultiplyAdd"/> is fused (one rounding) exactly when the hardware
/// has an FMA instruction (x64 FMA3, Arm64 AdvSIMD), otherwise a multiply then an add (two roundings); the scalar lane
/// always rounds twice. Results of one width on one machine are deterministic; widths and ISAs agree to rounding.
/// </remarks>
/// <typeparam name="TV">The lane type: a hardware vector of floats, or <see cref="float"/> itself.</typeparam>
internal interface ILanes<TV>
    where TV : struct
{
    /// <summary>Number of floats per lane value.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TV Zero { get; }

    /// <summary>Loads <see cref="Count"/> floats starting at <paramref name="index"/> (bounds are the caller's duty; asserted in debug builds).</summary>
    static abstract TV Load(ReadOnlySpan<float> source, int index);

    /// <summary>Loads <see cref="Count"/> floats starting <paramref name="offset"/> elements after <paramref name="source"/> (unchecked).</summary>
    static abstract TV Load(ref float source, nint offset);

    /// <summary>Stores <see cref="Count"/> floats starting at <paramref name="index"/>.</summary>
    static abstract void Store(TV value, Span<float> destination, int index);

    /// <summary>Stores <see cref="Count"/> floats starting <paramref name="offset"/> elements after <paramref name="destination"/> (unchecked).</summary>
    static abstract void Store(TV value, ref float destination, nint offset);

    /// <summary>All lanes equal to <paramref name="value"/>.</summary>
    static abstract TV Broadcast(float value);

    /// <summary>Lane-wise sum.</summary>
    static abstract TV Add(TV left, TV right);

    /// <summary>Lane-wise difference.</summary>
    static abstract TV Subtract(TV left, TV right);

    /// <summary>Lane-wise product.</summary>
    static abstract TV Multiply(TV left, TV right);

    /// <summary><c>left·right + addend</c>: fused where the hardware has FMA, otherwise multiply then add (see the remarks).</summary>
    static abstract TV MultiplyAdd(TV left, TV right, TV addend);

    /// <summary>Sum of all lanes.</summary>
    static abstract float Sum(TV value);

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

    /// <summary>Lane-wise square root (correctly rounded, as <see cref="MathF.Sqrt"/>).</summary>
    static abstract TV SquareRoot(TV value);

    /// <summary>Lane-wise minimum (NaN if either lane is NaN).</summary>
    static abstract TV Min(TV left, TV right);

    /// <summary>Lane-wise maximum (NaN if either lane is NaN).</summary>
    static abstract TV Max(TV left, TV right);

    /// <summary>Lane-wise rounding to the nearest integer (ties to even).</summary>
    static abstract TV Round(TV value);

    /// <summary>Lane-wise <c>value · 2^exponent</c> for integral <paramref name="exponent"/> lanes whose result stays a normal float (the exponent is added to the bits).</summary>
    static abstract TV ScaleByPowerOfTwo(TV value, TV exponent);

    /// <summary>
    /// Widens <see cref="Count"/> packed bf16 pairs to two float vectors: each 32-bit word at
    /// <paramref name="offset"/> words after <paramref name="source"/> holds one bf16 in its low half (to
    /// <paramref name="low"/>, shifted left by 16) and one in its high half (to <paramref name="high"/>, low half
    /// masked off). bf16 is the upper half of a float32, so both are exact.
    /// </summary>
    static abstract void WidenBFloat16Pairs(ref uint source, nint offset, out TV low, out TV high);

    /// <summary>
    /// The integer step of the int8 product: each operand holds 4·<see cref="Count"/> bytes (their bit pattern in the
    /// float lanes), <paramref name="unsignedBytes"/> unsigned and at most 127, <paramref name="signedBytes"/> signed
    /// in [−127, 127]; the 4·<see cref="Count"/> products u_k·s_k are added to the int32 lanes of
    /// <paramref name="addend"/> (bit patterns in float lanes), four to each lane. Which four go to which lane is the
    /// width's choice, so only the sum of all lanes (<see cref="SumInt32"/>) has a meaning; it is exact, hence equal on
    /// every width and ISA, as long as no lane leaves the int32 range.
    /// </summary>
    /// <remarks>
    /// x86: VPMADDUBSW (adjacent u8·s8 pairs summed to int16, which cannot saturate since 2·127·127 &lt; 2¹⁵) then
    /// VPMADDWD against ones (adjacent int16 pairs to int32), or one VPDPBUSD where AVX-VNNI is present (128 and 256
    /// bits); elsewhere a widening multiply in 16 bits (|u·s| ≤ 127·127 is exact) and widening adds.
    /// </remarks>
    static abstract TV MultiplyAddBytes(TV unsignedBytes, TV signedBytes, TV addend);

    /// <summary>
    /// Lane k of the result is the sum of the int32 lanes (bit patterns in float lanes) of the k-th argument, wrapping on
    /// overflow: four row totals at once, transposed and added with unpacks where the ISA has them.
    /// </summary>
    static abstract Vector128<int> SumInt32(TV first, TV second, TV third, TV fourth);

    /// <summary>
    /// Packs 4·<see cref="Count"/> integral float lanes in [0, 255] into as many bytes, in order (all of
    /// <paramref name="first"/>, then <paramref name="second"/>, <paramref name="third"/>, <paramref name="fourth"/>),
    /// returned as the bit pattern of one lane value.
    /// </summary>
    static abstract TV PackBytes(TV first, TV second, TV third, TV fourth);

    /// <summary>
    /// Adds the squares of <paramref name="count"/> lane values, widened to double, in order, to <see cref="Count"/> consecutive
    /// doubles: <c>accumulators[i] += (double)x_k,i · (double)x_k,i</c> for k = 0, 1, …, count − 1 and i &lt; Count, where lane
    /// value k is the <see cref="Count"/> floats starting k·<paramref name="stride"/> floats after <paramref name="source"/>
    /// (unchecked). The square is exact (a float's 24-bit significand squared fits a double's 53 bits), so each addition rounds
    /// once, on every width and ISA: a sum kept per position is bit-identical across widths. Lanes never mix; the
    /// accumulators stay in registers across the <paramref name="count"/> values.
    /// </summary>
    static abstract void AddWidenedSquares(ref float source, nint stride, int count, ref double accumulators);
}
