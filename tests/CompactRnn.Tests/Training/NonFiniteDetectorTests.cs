using System.Collections.Generic;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class NonFiniteDetectorTests
{
    public static TheoryData<int, int, float> Cases()
    {
        var data = new TheoryData<int, int, float>();
        foreach (int length in new[] { 1, 7, 16, 33, 257 })
        {
            foreach (int position in new SortedSet<int> { 0, length / 2, length - 1 })
            {
                data.Add(length, position, float.NaN);
                data.Add(length, position, float.PositiveInfinity);
                data.Add(length, position, float.NegativeInfinity);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FindNonFinite_OneBadValue_ReturnsItsIndex(int length, int position, float bad)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = i * 0.5f - 3f;
        }

        values[position] = bad;

        Assert.Equal(position, NonFiniteDetector.FindNonFinite(values));
        Assert.False(NonFiniteDetector.AreAllFinite(values));
    }

    [Fact]
    public void FindNonFinite_TwoBadValues_ReturnsTheFirst()
    {
        var values = new float[100];
        values[70] = float.NaN;
        values[40] = float.PositiveInfinity;

        Assert.Equal(40, NonFiniteDetector.FindNonFinite(values));
    }

    [Fact]
    public void FindNonFinite_AllFiniteIncludingExtremes_ReturnsMinusOne()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -0f, 0f, 1e-40f];

        Assert.Equal(-1, NonFiniteDetector.FindNonFinite(values));
        Assert.Equal(-1, NonFiniteDetector.FindNonFinite([]));
        Assert.True(NonFiniteDetector.AreAllFinite(values));
    }
}
