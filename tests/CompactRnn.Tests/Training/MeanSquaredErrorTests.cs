using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class MeanSquaredErrorTests
{
    [Fact]
    public void Evaluate_SmallExample_MatchesHandComputedValueAndGradient()
    {
        float[] predictions = [1f, 2f, 3f, 4f];
        float[] targets = [0f, 2f, 5f, 4f];
        var dPredictions = new float[4];

        LossResult result = MeanSquaredError.Evaluate(predictions, targets, 2, [], dPredictions);

        Assert.Equal(5.0, result.Sum);       // 1 + 0 + 4 + 0
        Assert.Equal(4, result.Count);
        Assert.Equal(1.25, result.Mean);
        Assert.Equal([0.5f, 0f, -1f, 0f], dPredictions); // 2·(y − t)/4
    }

    [Fact]
    public void Evaluate_MaskedRow_IsZeroAndNotCounted()
    {
        float[] predictions = [1f, 2f, 3f, 4f, 5f, 6f];
        float[] targets = [0f, 0f, 100f, 100f, 5f, 5f];
        var dPredictions = new float[6];
        dPredictions.AsSpan().Fill(7f);

        LossResult result = MeanSquaredError.Evaluate(predictions, targets, 2, [1f, 0f, 1f], dPredictions);

        Assert.Equal(1 + 4 + 0 + 1, result.Sum);
        Assert.Equal(4, result.Count);
        Assert.Equal([0.5f, 1f, 0f, 0f, 0f, 0.5f], dPredictions);
    }

    [Fact]
    public void Evaluate_Gradient_MatchesCentralFiniteDifferences()
    {
        var random = new Random(23);
        float[] predictions = SoftmaxCrossEntropyTests.RandomLogits(random, 15, 1.0);
        float[] targets = SoftmaxCrossEntropyTests.RandomLogits(random, 15, 1.0);
        float[] mask = [1f, 1f, 0f, 1f, 1f];
        var dPredictions = new float[15];
        MeanSquaredError.Evaluate(predictions, targets, 3, mask, dPredictions);
        var scratch = new float[15];

        for (int i = 0; i < predictions.Length; i++)
        {
            float original = predictions[i];
            float up = original + 1e-2f;
            float down = original - 1e-2f;
            predictions[i] = up;
            double plus = MeanSquaredError.Evaluate(predictions, targets, 3, mask, scratch).Mean;
            predictions[i] = down;
            double minus = MeanSquaredError.Evaluate(predictions, targets, 3, mask, scratch).Mean;
            predictions[i] = original;

            double numeric = (plus - minus) / ((double)up - down);
            Assert.True(Math.Abs(numeric - dPredictions[i]) <= 1e-4, $"element {i}: numeric {numeric}, analytic {dPredictions[i]}");
        }
    }

    [Fact]
    public void Evaluate_TargetsWrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MeanSquaredError.Evaluate(new float[4], new float[3], 2, [], new float[4]));

        Assert.Equal("targets", error.ParamName);
    }
}
