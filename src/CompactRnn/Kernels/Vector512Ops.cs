using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CompactRnn.Kernels;

/// <summary>512-bit vector operations (<c>Vector512&lt;float&gt;</c>, 16 lanes) for the generic matrix kernels.</summary>
internal readonly struct Vector512Ops : IVectorOps<Vector512<float>>
{
    /// <inheritdoc />
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc />
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend)
        => Vector512.FusedMultiplyAdd(left, right, addend);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector512<float> low, out Vector512<float> high)
    {
        Vector512<uint> pairs = Vector512.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector512.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    public static void WidenInt8(ref sbyte source, nint offset, out Vector512<float> low, out Vector512<float> high)
    {
        Vector256<sbyte> bytes = Vector256.LoadUnsafe(ref source, (nuint)offset);
        Vector512<short> words = Vector512.WidenLower(bytes.ToVector512Unsafe());
        low = Vector512.ConvertToSingle(Vector512.WidenLower(words));
        high = Vector512.ConvertToSingle(Vector512.WidenUpper(words));
    }
}
