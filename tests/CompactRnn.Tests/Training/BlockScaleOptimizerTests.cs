using System;
using CompactRnn.Parameters;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>Every optimiser applies <see cref="ParameterBlock.LearningRateScale"/> per block, with its state in place.</summary>
public sealed class BlockScaleOptimizerTests
{
    private const int Length = 45;

    // Elements 41..44 are in no block and keep the schedule's rate.
    private static readonly ParameterBlock[] Blocks =
    [
        new("a", 0, 3, 5) { LearningRateScale = 0.25f },
        new("b", 15, 1, 10),
        new("c", 25, 4, 4) { LearningRateScale = 3f },
    ];

    public static TheoryData<string> Kinds() => new() { "adam", "adamw", "sgd", "sgd-momentum", "sgd-nesterov" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachBlockStepsAsAnOptimiserWithItsScaledRate(string kind)
    {
        const float Rate = 0.01f;
        var random = new Random(3);
        float[] start = SgdOptimizerTests.RandomVector(random, Length);
        float[][] gradients = [SgdOptimizerTests.RandomVector(random, Length), SgdOptimizerTests.RandomVector(random, Length), SgdOptimizerTests.RandomVector(random, Length)];

        float[] scaled = Run(Create(kind, Rate), start, gradients, Blocks);
        foreach (float scale in new[] { 0.25f, 1f, 3f })
        {
            // Reference: an unscaled optimiser at rate η·scale over the whole vector; compare the elements of that scale.
            float[] reference = Run(Create(kind, Rate * scale), start, gradients, blocks: null);
            for (int i = 0; i < Length; i++)
            {
                if (ScaleOf(i) == scale)
                {
                    Assert.Equal(reference[i], scaled[i], 6);
                }
            }
        }
    }

    [Fact]
    public void UseBlockScales_RejectsBlocksOutsideOverlappingOrWithBadScales()
    {
        var optimizer = new AdamOptimizer(10, new ConstantSchedule(0.1f));
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => optimizer.UseBlockScales([new ParameterBlock("x", 5, 2, 3)])).Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => optimizer.UseBlockScales([new ParameterBlock("x", 0, 1, 4), new ParameterBlock("y", 3, 1, 2)])).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => optimizer.UseBlockScales([new ParameterBlock("x", 0, 1, 4) { LearningRateScale = float.NaN }])).Message, StringComparison.Ordinal);
        Assert.Contains("-1", Assert.Throws<ArgumentException>(() => optimizer.UseBlockScales([new ParameterBlock("x", 0, 1, 4) { LearningRateScale = -1f }])).Message, StringComparison.Ordinal);
    }

    private static float ScaleOf(int index)
    {
        foreach (ParameterBlock block in Blocks)
        {
            if (index >= block.Offset && index < block.Offset + block.Length)
            {
                return block.LearningRateScale;
            }
        }

        return 1f;
    }

    private static float[] Run(Optimizer optimizer, float[] start, float[][] gradients, ParameterBlock[]? blocks)
    {
        if (blocks is not null)
        {
            optimizer.UseBlockScales(blocks);
        }

        float[] parameters = (float[])start.Clone();
        foreach (float[] gradient in gradients)
        {
            optimizer.Step(parameters, gradient);
        }

        return parameters;
    }

    private static Optimizer Create(string kind, float rate) => kind switch
    {
        "adam" => new AdamOptimizer(Length, new ConstantSchedule(rate), weightDecay: 0.01f),
        "adamw" => new AdamOptimizer(Length, new ConstantSchedule(rate), weightDecay: 0.01f, decoupledWeightDecay: true),
        "sgd" => new SgdOptimizer(Length, rate, weightDecay: 0.01f),
        "sgd-momentum" => new SgdOptimizer(Length, rate, momentum: 0.9f),
        _ => new SgdOptimizer(Length, rate, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
    };
}
