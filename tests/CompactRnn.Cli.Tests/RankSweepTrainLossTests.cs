using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Layers;
using CompactRnn.Speech.Data;

namespace CompactRnn.Cli.Tests;

/// <summary>A tiny rank sweep end to end: every run gets a finite training loss, old rows of its recipe without one are
/// trained again, rows of other recipes are kept, and results.csv keeps the columns first.</summary>
public sealed class RankSweepTrainLossTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compactrnn-sweep-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Execute_TinyRun_WritesAFiniteTrainLossAndRetrainsRowsWithoutOne()
    {
        SpeechDataset full = SpeechDataset.Load(CliRunner.RepositoryFile("data/digits-default.crds"));
        var tiny = new SpeechDataset(full.Phones, full.StatesPerPhone, full.Lexicon, full.Quantizer, full.Normalization,
            [.. full.GetSplit(DatasetSplit.Train).Take(6), .. full.GetSplit(DatasetSplit.Dev).Take(4)], "tiny");
        string runsPath = Path.Combine(_directory, "runs.csv");
        const string OldRow = "1,1,vp,27602,9.9999,99.99,0,1,1,1.0,1,4,2"; // this recipe (cap 1, patience 4, halve after 2), no train_loss
        const string OtherRecipe = "1,1,vp,27602,1.9763,33.50,0,11,9,304.5"; // the quick recipe's, written before the recipe columns
        File.WriteAllText(runsPath, "r,seed,init,params,dev_loss,dev_wer,diverged,epochs,best_epoch,seconds,max_epochs,patience,halve_after\n" + OldRow + "\n" + OtherRecipe + "\n");

        var sweep = new RankSweep(tiny, _directory, LstmLayerOptions.DefaultInit, seeds: 1, workers: 1, maxEpochs: 1);
        IReadOnlyList<RankSweep.Row> rows = [];
        CliRunner.Captured(() => rows = sweep.Execute("test", "none", default)); // it prints progress: keep it out of other tests' captured output

        Assert.Equal(RankSweep.Ranks, rows.Select(r => r.Rank));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.TrainLoss) && r.TrainLoss > 0, $"r={r.Rank}: train loss {r.TrainLoss}"));
        Assert.All(rows, r => Assert.True(double.IsNaN(r.DevLossSd) && r.Seeds == 1));

        string[] lines = File.ReadAllLines(runsPath);
        Assert.EndsWith(",halve_after,train_loss", lines[0], StringComparison.Ordinal);
        var runs = lines.Skip(1).Select(RankSweep.Run.Parse).ToList();
        var swept = runs.Where(r => r.MaxEpochs == 1).ToList();
        Assert.Equal(RankSweep.Ranks, swept.Select(r => r.Rank));
        Assert.All(swept, r => Assert.True(double.IsFinite(r.TrainLoss)));
        Assert.NotEqual(9.9999, swept[0].DevLoss); // the old row was trained again, not kept
        Assert.Contains(OtherRecipe + ",12,2,1,", lines); // kept, with an empty train_loss

        string[] results = File.ReadAllLines(Path.Combine(_directory, "results.csv"));
        Assert.Equal("r,params,dev_loss,dev_wer,diverged,dev_loss_sd,train_loss,train_loss_sd,seeds", results[0]);
        for (int i = 0; i < rows.Count; i++)
        {
            string[] cells = results[i + 1].Split(',');
            Assert.Equal(rows[i].TrainLoss, double.Parse(cells[6], CultureInfo.InvariantCulture), 4);
            Assert.Equal(string.Empty, cells[5]); // one seed: no standard deviation
        }

        string summary = File.ReadAllText(Path.Combine(_directory, "summary.md"));
        Assert.Contains("**Train loss (same rule)", summary, StringComparison.Ordinal);
        Assert.Contains("on 6 training utterances evenly spaced over the 6", summary, StringComparison.Ordinal);
    }
}
