using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CompactRnn.Kernels;

/// <summary>128-bit vector operations (<c>Vector128&lt;float&gt;</c>, 4 lanes) for the generic matrix kernels.</summary>
internal readonly struct Vector128Ops : IVectorOps<Vector128<float>>
{
    /// <inheritdoc />
    public static int Count => Vector128<float>.Count;

    /// <inheritdoc />
    public static Vector128<float> Zero => Vector128<float>.Zero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend)
        // Without FMA hardware (e.g. DOTNET_EnableAVX2=0) the fused form is emulated per lane; multiply-then-add is fast.
        => Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector128.FusedMultiplyAdd(left, right, addend) : (left * right) + addend;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WidenBFloat16Pairs(ref uint source, nint offset, out Vector128<float> low, out Vector128<float> high)
    {
        Vector128<uint> pairs = Vector128.LoadUnsafe(ref source, (nuint)offset);
        low = (pairs << 16).AsSingle();
        high = (pairs & Vector128.Create(0xFFFF0000u)).AsSingle();
    }

    /// <inheritdoc />
    public static void WidenInt8(ref sbyte source, nint offset, out Vector128<float> low, out Vector128<float> high)
    {
        Vector128<short> words = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref source, offset)))).AsSByte());
        low = Vector128.ConvertToSingle(Vector128.WidenLower(words));
        high = Vector128.ConvertToSingle(Vector128.WidenUpper(words));
    }
}
