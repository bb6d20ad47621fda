using System;
using System.Runtime.Intrinsics;
using CompactRnn.Kernels;

namespace CompactRnn.Tests.Kernels;

public sealed class LaneMathTests
{
    public static TheoryData<string> Widths => ["512", "256", "128", "1"];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_IsWithinFourUlpOfDoubleAcrossTheNormalRange(string width)
    {
        float[] x = Grid(-87f, 88.5f, 20001);
        float[] y = Apply(width, x, Function.Exp);
        for (int k = 0; k < x.Length; k++)
        {
            double exact = Math.Exp(x[k]);
            Assert.True(Math.Abs(y[k] - exact) <= 4 * exact * Math.Pow(2, -23), $"e^{x[k]}: {y[k]} vs {exact}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SigmoidAndTanh_MatchDoubleAndSaturate(string width)
    {
        float[] x = Grid(-30f, 30f, 6000); // no exact 0: the tanh check is relative
        float[] sigmoid = Apply(width, x, Function.Sigmoid), tanh = Apply(width, x, Function.Tanh);
        for (int k = 0; k < x.Length; k++)
        {
            Assert.InRange(sigmoid[k] - (1 / (1 + Math.Exp(-x[k]))), -2e-7, 2e-7);
            Assert.True(Math.Abs(tanh[k] - Math.Tanh(x[k])) <= 4 * Math.Max(Math.Abs(Math.Tanh(x[k])), 1e-30) * Math.Pow(2, -23), $"tanh {x[k]}: {tanh[k]}");
        }

        float[] extremes = [-1e30f, -500f, -100f, 100f, 500f, 1e30f, float.NegativeInfinity, float.PositiveInfinity];
        float[] s = Apply(width, extremes, Function.Sigmoid), t = Apply(width, extremes, Function.Tanh);
        for (int k = 0; k < extremes.Length; k++)
        {
            Assert.Equal(extremes[k] > 0 ? 1f : 0f, s[k], 1e-30f);
            Assert.Equal(extremes[k] > 0 ? 1f : -1f, t[k]);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NaN_StaysNaN(string width)
    {
        float[] x = Grid(-1, 1, 16);
        x[3] = float.NaN;
        Assert.True(float.IsNaN(Apply(width, x, Function.Exp)[3]));
        Assert.True(float.IsNaN(Apply(width, x, Function.Sigmoid)[3]));
        Assert.True(float.IsNaN(Apply(width, x, Function.Tanh)[3]));
    }

    private enum Function
    {
        Exp,
        Sigmoid,
        Tanh,
    }

    private static float[] Grid(float low, float high, int count)
    {
        float[] values = new float[count];
        for (int k = 0; k < count; k++)
        {
            values[k] = low + ((high - low) * k / (count - 1));
        }

        return values;
    }

    private static float[] Apply(string width, float[] x, Function function) => width switch
    {
        "512" => Apply<Lanes512, Vector512<float>>(x, function),
        "256" => Apply<Lanes256, Vector256<float>>(x, function),
        "128" => Apply<Lanes128, Vector128<float>>(x, function),
        _ => Apply<Lanes1, float>(x, function),
    };

    private static float[] Apply<TL, TV>(float[] x, Function function)
        where TL : struct, ILanes<TV>
        where TV : unmanaged
    {
        int padded = (x.Length + TL.Count - 1) / TL.Count * TL.Count;
        float[] input = new float[padded], output = new float[padded];
        x.CopyTo(input, 0);
        for (int k = 0; k < padded; k += TL.Count)
        {
            TV v = TL.Load(input, k);
            TL.Store(function switch
            {
                Function.Exp => LaneMath.Exp<TL, TV>(v),
                Function.Sigmoid => LaneMath.Sigmoid<TL, TV>(v),
                _ => LaneMath.Tanh<TL, TV>(v),
            }, output, k);
        }

        return output[..x.Length];
    }
}
