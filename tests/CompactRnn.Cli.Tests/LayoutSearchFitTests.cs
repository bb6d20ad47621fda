using System;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Cli.Speech;
using CompactRnn.Compression;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Tests;

/// <summary>The layout search compresses its Toeplitz-like candidates by the activation fit, deterministically.</summary>
public sealed class LayoutSearchFitTests
{
    private static readonly SpeechDataset Dataset = SpeechDataset.Load(CliRunner.RepositoryFile("data/digits-default.crds"));

    [Fact]
    public void Rank_TinyModel_FitsToeplitzCandidatesToActivationsDeterministically()
    {
        LstmModel dense = TinyDense();
        LayoutFit fit = LayoutFit.Activations(Dataset, Dataset.GetSplit(DatasetSplit.Train), utterances: 6, iterations: 5);
        Assert.Equal(6, fit.Utterances.Count);

        var ranked = AutoLayout.Rank(dense, 0.5, Dataset, fit, searchUtterances: 8, batchSize: 4, workers: 1, _ => { }, default);
        Assert.Contains(ranked, r => r.Candidate.Kind == LayoutKind.Hybrid && r.Candidate.DisplacementRank == 8);
        Assert.Contains(ranked, r => !r.Candidate.HasToeplitzLayers);
        foreach (LayoutSearch.Result result in ranked)
        {
            Assert.Equal(result.Candidate.HasToeplitzLayers ? ToeplitzFit.Activations : null, result.Fit);
        }

        // Best first, and the same ranking (bit for bit) with two workers.
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.DevLossAfter <= p.Second.DevLossAfter));
        var again = AutoLayout.Rank(dense, 0.5, Dataset, fit, searchUtterances: 8, batchSize: 4, workers: 2, _ => { }, default);
        Assert.Equal(ranked, again);

        // The search's score of a hybrid is that of the activation fit, not of the displacement SVD.
        LayoutSearch.Result hybrid = ranked.First(r => r.Candidate.Kind == LayoutKind.Hybrid);
        var train = new SpeechSequenceDataset(Dataset, Dataset.GetSplit(DatasetSplit.Train));
        var dev = new SpeechSequenceDataset(Dataset, Dataset.GetSplit(DatasetSplit.Dev));
        var fitSet = LayoutSearch.Subset(train, 8, seed: 1);
        var recipe = new PlateauRecipe(4, PlateauRecipe.DefaultLearningRate, MaxEpochs: 1, Patience: 1, ClipNorm: 5f, Seed: 1);
        LayoutSearch.Result viaSvd = LayoutSearch.Fit(dense, hybrid.Candidate, LayoutFit.DisplacementSvd, fitSet, dev, recipe, recipe.FineTuneRate, default);
        Assert.Equal(ToeplitzFit.DisplacementSvd, viaSvd.Fit);
        Assert.NotEqual(viaSvd.DevLossBefore, hybrid.DevLossBefore);
        LstmModel byLibrary = ModelCompressor.ToHybrid(dense, hybrid.Candidate.DisplacementRank, hybrid.Candidate.Rank, hybrid.Candidate.ToeplitzLayers,
            new ToeplitzFitOptions { Method = ToeplitzFit.Activations, Utterances = fit.Utterances, MaxIterations = 5 });
        Assert.Equal(byLibrary.Parameters.ToArray(), hybrid.Candidate.Compress(dense, fit).Parameters.ToArray());
    }

    [Fact]
    public void Activations_Sample_IsEvenlySpacedAndBounded()
    {
        var train = Dataset.GetSplit(DatasetSplit.Train);
        LayoutFit fit = LayoutFit.Activations(Dataset, train, utterances: 4, iterations: 7);
        Assert.Equal(ToeplitzFit.Activations, fit.Method);
        Assert.Equal(7, fit.Iterations);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Dataset.GetNormalizedFeatures(train[i * train.Count / 4]), fit.Utterances[i]);
        }

        Assert.Equal(train.Count, LayoutFit.Activations(Dataset, train, train.Count + 5, 1).Utterances.Count);
        Assert.Equal(3, fit.WithIterations(3).Iterations);
        Assert.Same(LayoutFit.DisplacementSvd, LayoutFit.DisplacementSvd.WithIterations(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayoutFit.Activations(Dataset, train, 0, 1));
        Assert.Equal("train", Assert.Throws<ArgumentException>(() => LayoutFit.Activations(Dataset, [], 5, 1)).ParamName);
        Assert.Equal(ToeplitzFit.Activations, LayoutFit.Parse(LayoutFit.Format(ToeplitzFit.Activations)));
        Assert.Throws<FormatException>(() => LayoutFit.Parse("SVD"));
    }

    private static LstmModel TinyDense() => LstmModel.CreateInitialized(new LstmNetworkOptions
    {
        InputSize = Dataset.FeatureDimension,
        Layers = NetworkSpec.Parse("dense x2", new LstmLayerOptions { HiddenSize = 16, ProjectionSize = 8 }),
        OutputSize = Dataset.ClassCount,
    }, seed: 1);
}
