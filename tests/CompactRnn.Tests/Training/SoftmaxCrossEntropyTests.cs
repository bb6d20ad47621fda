using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class SoftmaxCrossEntropyTests
{
    private const int Rows = 6;
    private const int Classes = 7;

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.1f, false)]
    [InlineData(0.1f, true)]
    public void Evaluate_Gradient_MatchesCentralFiniteDifferencesOfMeanLoss(float smoothing, bool masked)
    {
        var random = new Random(17);
        float[] logits = RandomLogits(random, Rows * Classes, 3.0);
        int[] targets = [0, 6, 3, 3, 1, 5];
        float[] mask = masked ? [1f, 0f, 1f, 1f, 0f, 1f] : [];
        var dLogits = new float[logits.Length];
        SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, mask, dLogits, smoothing);

        var scratch = new float[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            float original = logits[i];
            float plus = original + 1e-2f;
            float minus = original - 1e-2f;
            logits[i] = plus;
            double lossPlus = SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, mask, scratch, smoothing).Mean;
            logits[i] = minus;
            double lossMinus = SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, mask, scratch, smoothing).Mean;
            logits[i] = original;

            double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            double analytic = dLogits[i];
            double relative = Math.Abs(numeric - analytic) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(analytic));
            Assert.True(relative <= 1e-2, $"element {i}: numeric {numeric}, analytic {analytic}, seed 17");
        }
    }

    [Fact]
    public void Evaluate_LabelSmoothing_MatchesHandComputedValue()
    {
        float[] logits = [1f, 2f, 3f];
        var dLogits = new float[3];

        LossResult result = SoftmaxCrossEntropy.Evaluate(logits, 3, [0], [], dLogits, labelSmoothing: 0.3f);

        // q = (0.7 + 0.1, 0.1, 0.1); ℓ = −Σ q log p with log p = z − logsumexp(z).
        double logSumExp = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        double expected = -(0.8 * (1 - logSumExp) + 0.1 * (2 - logSumExp) + 0.1 * (3 - logSumExp));
        Assert.Equal(expected, result.Sum, 1e-6);
        Assert.Equal(1, result.Count);
        Assert.Equal(Math.Exp(1 - logSumExp) - 0.8, dLogits[0], 1e-6);
        Assert.Equal(Math.Exp(3 - logSumExp) - 0.1, dLogits[2], 1e-6);
    }

    [Fact]
    public void Evaluate_MaskedFrames_HaveZeroGradientAndAreNotCounted()
    {
        var random = new Random(9);
        float[] logits = RandomLogits(random, 3 * 4, 2.0);
        var dLogits = new float[12];
        dLogits.AsSpan().Fill(99f);

        // Frame 1 is padding with an invalid target, which must be ignored.
        LossResult masked = SoftmaxCrossEntropy.Evaluate(logits, 4, [2, -1, 0], [1f, 0f, 1f], dLogits);

        float[] kept = [.. logits.AsSpan(0, 4), .. logits.AsSpan(8, 4)];
        var keptGradient = new float[8];
        LossResult reference = SoftmaxCrossEntropy.Evaluate(kept, 4, [2, 0], [], keptGradient);
        Assert.Equal(2, masked.Count);
        Assert.Equal(reference.Sum, masked.Sum);
        Assert.Equal(keptGradient[..4], dLogits[..4]);
        Assert.Equal(new float[4], dLogits[4..8]);
        Assert.Equal(keptGradient[4..], dLogits[8..]);
    }

    [Fact]
    public void Evaluate_HugeLogits_StaysFinite()
    {
        float[] logits = [1e4f, -1e4f, 0f, 1e4f - 1f];
        var dLogits = new float[4];

        LossResult result = SoftmaxCrossEntropy.Evaluate(logits, 4, [1], [], dLogits);

        Assert.Equal(2e4 + Math.Log(1 + Math.Exp(-1)), result.Sum, 1e-2);
        Assert.True(NonFiniteDetector.AreAllFinite(dLogits));
    }

    [Fact]
    public void Evaluate_InPlace_EqualsSeparateDestination()
    {
        float[] logits = RandomLogits(new Random(1), Rows * Classes, 2.0);
        int[] targets = [1, 2, 3, 4, 5, 6];
        var separate = new float[logits.Length];
        LossResult expected = SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, [], separate, 0.05f);

        LossResult actual = SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, [], logits, 0.05f);

        Assert.Equal(expected, actual);
        Assert.Equal(separate, logits);
    }

    [Fact]
    public void EvaluateRows_SequenceLevel_EqualsEvaluateOnGatheredRows()
    {
        float[] logits = RandomLogits(new Random(2), Rows * Classes, 2.0);
        int[] rows = [5, 2];
        int[] targets = [4, 0];
        float[] gathered = [.. logits.AsSpan(5 * Classes, Classes), .. logits.AsSpan(2 * Classes, Classes)];
        var gatheredGradient = new float[2 * Classes];
        LossResult expected = SoftmaxCrossEntropy.Evaluate(gathered, Classes, targets, [], gatheredGradient);
        var dLogits = new float[logits.Length];

        LossResult actual = SoftmaxCrossEntropy.EvaluateRows(logits, Classes, rows, targets, dLogits);

        Assert.Equal(expected, actual);
        Assert.Equal(gatheredGradient[..Classes], dLogits[(5 * Classes)..]);
        Assert.Equal(gatheredGradient[Classes..], dLogits[(2 * Classes)..(3 * Classes)]);
        Assert.Equal(new float[2 * Classes], dLogits[..(2 * Classes)]);
    }

    [Fact]
    public void EvaluateRows_RepeatedRow_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SoftmaxCrossEntropy.EvaluateRows(new float[8], 4, [1, 1], [0, 0], new float[8]));

        Assert.Contains("rows[1] = 1 is selected twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TargetOutOfRange_ThrowsNamingIndexAndValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SoftmaxCrossEntropy.Evaluate(new float[8], 4, [0, 4], [], new float[8]));

        Assert.Equal("targets", error.ParamName);
        Assert.Contains("targets[1] = 4 is outside [0, 4)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FractionalMaskValue_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SoftmaxCrossEntropy.Evaluate(new float[8], 4, [0, 1], [1f, 0.5f], new float[8]));

        Assert.Equal("mask", error.ParamName);
        Assert.Contains("mask[1] = 0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LogitsLengthMismatch_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SoftmaxCrossEntropy.Evaluate(new float[7], 4, [0, 1], [], new float[8]));

        Assert.Equal("logits", error.ParamName);
    }

    [Fact]
    public void Evaluate_AllMasked_GivesZeroLossAndGradient()
    {
        float[] dLogits = [1f, 1f, 1f, 1f];

        LossResult result = SoftmaxCrossEntropy.Evaluate([1f, 2f, 3f, 4f], 2, [0, 1], [0f, 0f], dLogits);

        Assert.Equal(new LossResult(0, 0), result);
        Assert.Equal(0, result.Mean);
        Assert.Equal(new float[4], dLogits);
    }

    internal static float[] RandomLogits(Random random, int length, double scale)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return values;
    }
}
