using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>256-bit vector operations (<c>Vector256&lt;float&gt;</c>, 8 lanes) for the generic matrix kernels.</summary>
internal readonly struct Vector256Ops : IVectorOps<Vector256<float>>
{
    /// <inheritdoc />
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc />
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend)
        => Vector256.FusedMultiplyAdd(left, right, addend);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector256<float> low, out Vector256<float> high)
    {
        Vector256<uint> pairs = Vector256.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector256.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    public static void WidenInt8(ref sbyte source, nint offset, out Vector256<float> low, out Vector256<float> high)
    {
        Vector256<short> words = Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)offset).ToVector256Unsafe());
        low = Vector256.ConvertToSingle(Vector256.WidenLower(words));
        high = Vector256.ConvertToSingle(Vector256.WidenUpper(words));
    }
}
