using System;
using System.Linq;
using CompactRnn.Benchmarks.Peers;

namespace CompactRnn.Benchmarks.Tests.Onnx;

public class OnnxParityTests
{
    public static TheoryData<string> Variants() => [.. SmallParitySuite.VariantNames];

    [Theory]
    [MemberData(nameof(Variants))]
    public void RunVariant_OrtAndCompactRnn_AgreeWithinTolerance(string name)
    {
        (float step, float sequence) = SmallParitySuite.RunVariant(name);

        Assert.InRange(step, 0f, ParityCheck.Tolerance);
        Assert.InRange(sequence, 0f, ParityCheck.Tolerance);
    }

    [Fact]
    public void VariantNames_CoverOperatorAndCellGraphs()
    {
        Assert.Contains(SmallParitySuite.VariantNames, n => n.StartsWith("lstm-op", StringComparison.Ordinal));
        Assert.True(SmallParitySuite.VariantNames.Count(n => n.StartsWith("cell-", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public void Require_DifferenceAboveTolerance_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ParityCheck.Require(2e-4f, "case"));

        Assert.Contains("disagree", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxAbsDifference_NaN_CountsAsInfinite()
    {
        Assert.Equal(float.PositiveInfinity, ParityCheck.MaxAbsDifference([1f, float.NaN], [1f, 0f]));
    }
}
