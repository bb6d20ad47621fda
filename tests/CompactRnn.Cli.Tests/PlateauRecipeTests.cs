using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Speech;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Speech.Data;
using CompactRnn.Training;

namespace CompactRnn.Cli.Tests;

public sealed class PlateauRecipeTests
{
    private static (LstmNetwork Network, float[] Parameters, SpeechSequenceDataset Train, SpeechSequenceDataset Dev) Tiny()
    {
        SpeechDataset dataset = SpeechDataset.Load(CliRunner.RepositoryFile("data/digits-default.crds"));
        var train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train).Take(24).ToList());
        var dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev).Take(12).ToList());
        var network = new LstmNetwork(new LstmNetworkOptions
        {
            InputSize = dataset.FeatureDimension,
            Layers = NetworkSpec.Parse("dense x1", new LstmLayerOptions { HiddenSize = 8 }),
            OutputSize = dataset.ClassCount,
        });
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, 1);
        return (network, parameters, train, dev);
    }

    [Fact]
    public void Train_KeepsTheBestDevEpochAndStopsAfterThePatience()
    {
        var (network, parameters, train, dev) = Tiny();
        // A rate this high makes some epochs worse than the best, so halving and stopping are exercised.
        var recipe = new PlateauRecipe(BatchSize: 8, LearningRate: 0.05f, MaxEpochs: 6, Patience: 1, ClipNorm: 5f, Seed: 1);
        PlateauOutcome outcome = recipe.Train(network, parameters, train, dev, recipe.LearningRate, 0, null, default);

        Assert.Equal(0, outcome.History[0].Epoch);
        Assert.Equal(Enumerable.Range(0, outcome.Epochs + 1), outcome.History.Select(h => h.Epoch));
        double[] losses = outcome.History.Select(h => h.Validation!.Value.Loss).ToArray();
        int best = System.Array.IndexOf(losses, losses.Min());
        Assert.Equal(best, outcome.BestEpoch);
        // Patience 1: training stops at the first epoch that does not improve, unless the cap comes first.
        Assert.True(outcome.Epochs == recipe.MaxEpochs || losses[^1] >= losses[..^1].Min(), "stopped before a non-improving epoch");
        Assert.Equal(outcome.Epochs * 3, outcome.Updates); // 24 utterances / batch 8

        var trainer = new BpttTrainer(network, parameters, new AdamOptimizer(network.ParameterCount, new ConstantSchedule(0f)), new TrainerOptions { BatchSize = 8 });
        Assert.Equal(losses.Min(), trainer.Evaluate(dev).Loss, 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_HalvingPatience_HalvesAfterEveryHthNonImprovingEpochInARow(int halveAfter)
    {
        var (network, parameters, train, dev) = Tiny();
        var recipe = new PlateauRecipe(BatchSize: 8, LearningRate: 0.05f, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 1) { HalvingPatience = halveAfter };
        var lines = new List<string>();
        PlateauOutcome outcome = recipe.Train(network, parameters, train, dev, 0.2f, 10, new Collect(lines), default);
        double[] losses = outcome.History.Select(h => h.Validation!.Value.Loss).ToArray();
        float[] rates = lines.Select(l => float.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(10, rates.Length);

        // The expected rate of every epoch from the dev losses: a run of s non-improving epochs halves at s = h, 2h, ….
        float expected = 0.2f;
        double best = losses[0];
        int stale = 0, skipped = 0;
        for (int e = 1; e <= 10; e++)
        {
            Assert.Equal(expected.ToString("G3", CultureInfo.InvariantCulture), rates[e - 1].ToString("G3", CultureInfo.InvariantCulture));
            if (losses[e] < best)
            {
                (best, stale) = (losses[e], 0);
                continue;
            }

            if (++stale % halveAfter == 0)
            {
                expected *= PlateauRecipe.PlateauFactor;
            }
            else
            {
                skipped++;
            }
        }

        Assert.True(rates[^1] < 0.2f, "no epoch halved the rate: the test does not exercise halving");
        Assert.True(halveAfter == 1 || skipped > 0, "no non-improving epoch was spared a halving: the test does not exercise HalvingPatience");
        Assert.Throws<ArgumentOutOfRangeException>(() => recipe with { HalvingPatience = 0 });
    }

    [Fact]
    public void Train_FixedEpochs_RunsExactlyThatManyAndIsDeterministic()
    {
        var (network, parameters, train, dev) = Tiny();
        var recipe = new PlateauRecipe(BatchSize: 8, LearningRate: 0.05f, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 3);
        float[] again = (float[])parameters.Clone();
        PlateauOutcome first = recipe.Train(network, parameters, train, dev, 0.01f, 3, null, default);
        PlateauOutcome second = recipe.Train(network, again, train, dev, 0.01f, 3, null, default);
        Assert.Equal(3, first.Epochs);
        Assert.Equal(parameters, again);
        Assert.Equal(first.History.Select(h => h.Validation), second.History.Select(h => h.Validation));
    }
    [Fact]
    public void Train_WithEpochUtterances_WalksThePassInPartsOfTheRequestedSize()
    {
        var (network, parameters, train, dev) = Tiny();
        // 24 utterances in parts of 8: three epochs are one pass, each of one batch of 8.
        var recipe = new PlateauRecipe(BatchSize: 8, LearningRate: 0.01f, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 2) { EpochUtterances = 8 };
        PlateauOutcome outcome = recipe.Train(network, parameters, train, dev, recipe.LearningRate, 6, null, default);
        Assert.Equal(6, outcome.Epochs);
        Assert.Equal(6, outcome.Updates);
    }

    [Fact]
    public void Train_WithEpochUtterancesOfTheWholeSet_IsTheWholeSetEpoch()
    {
        var (network, parameters, train, dev) = Tiny();
        float[] again = (float[])parameters.Clone();
        var whole = new PlateauRecipe(BatchSize: 8, LearningRate: 0.01f, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 2);
        whole.Train(network, parameters, train, dev, whole.LearningRate, 2, null, default);
        (whole with { EpochUtterances = train.Count }).Train(network, again, train, dev, whole.LearningRate, 2, null, default);
        Assert.Equal(parameters, again);
    }

    private sealed class Collect(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
