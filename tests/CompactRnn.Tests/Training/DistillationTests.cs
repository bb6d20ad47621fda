using System;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public sealed class DistillationTests
{
    private const int Classes = 5;

    private static float[] RandomValues(int length, int seed, float spread)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(spread * ((2 * random.NextDouble()) - 1));
        }

        return values;
    }

    /// <summary>ℓ = (1 − α)(−log p_y) + α(−Σ q log p), in double, summed over the unmasked rows and scaled.</summary>
    private static double Loss(float[] logits, float[] teacher, int[] targets, float[] mask, double alpha, double scale)
    {
        double total = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            if (mask[row] == 0)
            {
                continue;
            }

            double[] logP = LogSoftmax(logits.AsSpan(row * Classes, Classes));
            double[] logQ = LogSoftmax(teacher.AsSpan(row * Classes, Classes));
            double soft = 0;
            for (int c = 0; c < Classes; c++)
            {
                soft -= Math.Exp(logQ[c]) * logP[c];
            }

            total += scale * (((1 - alpha) * -logP[targets[row]]) + (alpha * soft));
        }

        return total;
    }

    private static double[] LogSoftmax(ReadOnlySpan<float> z)
    {
        double max = double.NegativeInfinity;
        foreach (float value in z)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (float value in z)
        {
            sum += Math.Exp(value - max);
        }

        double[] result = new double[z.Length];
        for (int c = 0; c < z.Length; c++)
        {
            result[c] = z[c] - max - Math.Log(sum);
        }

        return result;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void AddTeacherTerm_WithHardLabelGradient_MatchesFiniteDifferencesOfMixedLoss(double alpha)
    {
        const int rows = 4;
        const float scale = 0.25f;
        float[] logits = RandomValues(rows * Classes, 1, 3f);
        float[] teacher = RandomValues(rows * Classes, 2, 3f);
        int[] targets = [0, 3, 4, 1];
        float[] mask = [1, 0, 1, 1];
        float[] gradient = new float[logits.Length];
        SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, mask, gradient, 0f, scale);
        DistillationLoss.AddTeacherTerm(teacher, Classes, targets, mask, gradient, (float)alpha, scale);

        for (int i = 0; i < logits.Length; i++)
        {
            float saved = logits[i];
            const float step = 1e-2f;
            logits[i] = saved + step;
            double plus = Loss(logits, teacher, targets, mask, alpha, scale);
            logits[i] = saved - step;
            double minus = Loss(logits, teacher, targets, mask, alpha, scale);
            logits[i] = saved;
            double expected = (plus - minus) / (2 * step);
            Assert.True(Math.Abs(gradient[i] - expected) < 2e-4, $"element {i}: analytic {gradient[i]}, numeric {expected}");
        }
    }

    [Fact]
    public void AddTeacherTerm_TeacherEqualsStudentAndWeightOne_CancelsTheGradient()
    {
        float[] logits = RandomValues(3 * Classes, 5, 4f);
        float[] gradient = new float[logits.Length];
        int[] targets = [2, 0, 4];
        SoftmaxCrossEntropy.Evaluate(logits, Classes, targets, [], gradient, 0f, 1f);
        DistillationLoss.AddTeacherTerm(logits, Classes, targets, [], gradient, 1f, 1f);
        Assert.All(gradient, g => Assert.True(Math.Abs(g) < 1e-6, $"gradient {g}"));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void AddTeacherTerm_WeightOutsideUnitInterval_ThrowsNamingWeight(float weight)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DistillationLoss.AddTeacherTerm(new float[Classes], Classes, [0], [], new float[Classes], weight, 1f));
        Assert.Equal("weight", error.ParamName);
    }

    [Fact]
    public void TrainerOptions_WeightWithoutTeacher_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { DistillationWeight = 0.5f }.Validate());
        Assert.Equal(nameof(TrainerOptions.DistillationWeight), error.ParamName);
    }

    [Fact]
    public void BpttTrainer_TeacherWithOtherClassCount_ThrowsArgumentException()
    {
        var (network, parameters) = Network(classes: 3);
        var (otherNetwork, otherParameters) = Network(classes: 4);
        var options = new TrainerOptions { Teacher = new LstmModel(otherNetwork, otherParameters), DistillationWeight = 1f };
        var error = Assert.Throws<ArgumentException>(() => new BpttTrainer(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(0.01f)), options));
        Assert.Contains("teacher", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Labels that teach the wrong task: with α = 1 the student learns the teacher's (right) task from the
    /// teacher alone, with α = 0 it learns the wrong one. Both outcomes are checked on the true labels.
    /// </summary>
    [Fact]
    public void Train_FullWeightOnTeacher_LearnsTheTeachersTaskDespiteWrongLabels()
    {
        var (teacherNetwork, teacherParameters) = Network(classes: 3);
        Train(teacherNetwork, teacherParameters, new DelayedArgMaxDataset(256, seed: 1), new TrainerOptions { Epochs = 12, BatchSize = 8, Seed = 3 });
        var teacher = new LstmModel(teacherNetwork, teacherParameters);
        var wrong = new ScrambledLabelsDataset(new DelayedArgMaxDataset(256, seed: 1), 3);

        double Accuracy(float alpha)
        {
            var (network, parameters) = Network(classes: 3, seed: 11);
            var options = new TrainerOptions { Epochs = 12, BatchSize = 8, Seed = 3, Teacher = teacher, DistillationWeight = alpha };
            return Train(network, parameters, wrong, options).Evaluate(new DelayedArgMaxDataset(64, seed: 2)).Accuracy;
        }

        double teacherAccuracy = Train(teacherNetwork, (float[])teacherParameters.Clone(), wrong, new TrainerOptions { Epochs = 1 }, rate: 0f)
            .Evaluate(new DelayedArgMaxDataset(64, seed: 2)).Accuracy;
        double distilled = Accuracy(1f), labelsOnly = Accuracy(0f);
        Assert.True(teacherAccuracy > 0.85, $"teacher accuracy {teacherAccuracy:F3}");
        Assert.True(distilled > 0.8, $"distilled student accuracy {distilled:F3}");
        Assert.True(labelsOnly < 0.3, $"labels-only student accuracy {labelsOnly:F3}");
    }

    private static (LstmNetwork Network, float[] Parameters) Network(int classes, int seed = 4)
    {
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = 3,
            Layers = NetworkSpec.Parse("dense x1", new LstmLayerOptions { HiddenSize = 12, Peepholes = true, CellClip = 10f }),
            OutputSize = classes,
        });
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed);
        return (network, parameters);
    }

    private static BpttTrainer Train(LstmNetwork network, float[] parameters, ISequenceDataset data, TrainerOptions options, float rate = 0.02f)
    {
        var trainer = new BpttTrainer(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(rate)), options);
        if (rate > 0)
        {
            trainer.Train(data, null);
        }

        return trainer;
    }
}
