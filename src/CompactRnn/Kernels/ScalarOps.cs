using System.Runtime.CompilerServices;

namespace CompactRnn.Kernels;

/// <summary>
/// One-lane "vector" operations on plain floats: the portable path when no SIMD is accelerated
/// (<c>DOTNET_EnableHWIntrinsic=0</c>). Multiply-then-add, because a software-emulated fused form would be slow.
/// </summary>
internal readonly struct ScalarOps : IVectorOps<float>
{
    /// <inheritdoc />
    public static int Count => 1;

    /// <inheritdoc />
    public static float Zero => 0f;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float left, float right, float addend) => (left * right) + addend;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out float low, out float high)
    {
        uint pair = Unsafe.Add(ref source, offset);
        low = System.BitConverter.UInt32BitsToSingle(pair << 16);
        high = System.BitConverter.UInt32BitsToSingle(pair & 0xFFFF0000u);
    }

    /// <inheritdoc />
    public static void WidenInt8(ref sbyte source, nint offset, out float low, out float high)
    {
        low = Unsafe.Add(ref source, offset);
        high = Unsafe.Add(ref source, offset + 1);
    }
}
