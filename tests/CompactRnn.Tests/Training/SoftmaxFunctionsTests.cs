using System;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class SoftmaxFunctionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    public void Softmax_RandomRows_MatchesDoubleReference(int classCount)
    {
        float[] logits = SoftmaxCrossEntropyTests.RandomLogits(new Random(classCount), 3 * classCount, 10.0);
        var probabilities = new float[logits.Length];
        var logProbabilities = new float[logits.Length];

        SoftmaxFunctions.Softmax(logits, classCount, probabilities);
        SoftmaxFunctions.LogSoftmax(logits, classCount, logProbabilities);

        for (int r = 0; r < 3; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classCount; c++)
            {
                max = Math.Max(max, logits[r * classCount + c]);
            }

            double sum = 0;
            for (int c = 0; c < classCount; c++)
            {
                sum += Math.Exp(logits[r * classCount + c] - max);
            }

            for (int c = 0; c < classCount; c++)
            {
                double logP = logits[r * classCount + c] - max - Math.Log(sum);
                Assert.Equal(Math.Exp(logP), probabilities[r * classCount + c], 1e-6);
                Assert.Equal(logP, logProbabilities[r * classCount + c], 1e-5);
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(600)] // more classes than one scratch chunk
    public void AddScaledSoftmax_AnyWidth_AddsTheScaledSoftmax(int classCount)
    {
        var random = new Random(classCount);
        float[] logits = new float[classCount], destination = new float[classCount], expected = new float[classCount];
        for (int c = 0; c < classCount; c++)
        {
            logits[c] = (float)(20 * random.NextDouble()) - 10;
            destination[c] = (float)random.NextDouble();
        }

        SoftmaxFunctions.Softmax(logits, classCount, expected);
        for (int c = 0; c < classCount; c++)
        {
            expected[c] = destination[c] - (0.5f * expected[c]);
        }

        SoftmaxFunctions.AddScaledSoftmax(logits, -0.5f, destination);
        for (int c = 0; c < classCount; c++)
        {
            Assert.True(Math.Abs(expected[c] - destination[c]) < 1e-6, $"class {c}: {destination[c]} vs {expected[c]}");
        }
    }

    [Fact]
    public void LogSoftmax_HugeLogitGap_StaysFinite()
    {
        float[] logits = [1000f, 0f, -1000f];

        SoftmaxFunctions.LogSoftmax(logits, 3, logits);

        Assert.Equal([0f, -1000f, -2000f], logits);
    }

    [Fact]
    public void Softmax_LengthNotMultipleOfClasses_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SoftmaxFunctions.Softmax(new float[5], 2, new float[5]));

        Assert.Equal("logits", error.ParamName);
    }
}
