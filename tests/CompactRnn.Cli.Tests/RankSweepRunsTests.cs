using System;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

/// <summary>runs.csv of the rank sweep: rows carry their recipe and training loss, and rows written before those columns read as the quick
/// recipe and an unmeasured training loss; the verdicts' arithmetic.</summary>
public sealed class RankSweepRunsTests
{
    [Fact]
    public void Run_CsvRoundTrip_KeepsTheRecipe()
    {
        var run = new RankSweep.Run(8, 3, "vp", 56274, 1.8532, 27.91, false, 18, 14, 271.2, 40, 4, 2, 1.6021);
        Assert.Equal(run, RankSweep.Run.Parse(run.ToCsv()));
        RankSweep.Run unmeasured = run with { TrainLoss = double.NaN };
        Assert.EndsWith(",2,", unmeasured.ToCsv(), StringComparison.Ordinal); // an empty train_loss cell
        Assert.Equal(unmeasured, RankSweep.Run.Parse(unmeasured.ToCsv()));
        Assert.True(double.IsNaN(RankSweep.Run.Parse("8,3,vp,56274,1.8532,27.91,0,18,14,271.2,40,4,2").TrainLoss)); // written before train_loss
        PlateauRecipe quick = ExperimentPreset.Quick.Recipe;
        Assert.True(run.Matches("vp", quick with { MaxEpochs = 40, Patience = 4, HalvingPatience = 2 }));
        Assert.False(run.Matches("vp", quick with { MaxEpochs = 40, Patience = 4 }));
        Assert.False(run.Matches("rank-scaled", quick with { MaxEpochs = 40, Patience = 4, HalvingPatience = 2 }));
    }

    [Fact]
    public void Run_RowWithoutRecipeColumns_ReadsAsTheQuickRecipe()
    {
        RankSweep.Run run = RankSweep.Run.Parse("4,2,vp,39890,2.0026,31.55,0,12,11,88.1");
        Assert.Equal((12, 2, 1), (run.MaxEpochs, run.Patience, run.HalveAfter));
        Assert.True(run.Matches("vp", ExperimentPreset.Quick.Recipe));
        Assert.Throws<CliException>(() => RankSweep.Run.Parse("4,2,vp,39890,2.0026,31.55,0,12,11,88.1,40"));
    }

    [Fact]
    public void Verdicts_CompareEveryBreakWithTheSeedSpread()
    {
        // Three seeds per rank. r=4: 0.95 / 0.90 − 1 = 5.6 %, gap 0.05 against 2·√(2·0.01²/3) = 0.0163 (beyond);
        // r=8: 3.3 %, gap 0.03 against 2·√((0.05² + 0.01²)/3) = 0.0589 (within); r=16: 1.1 % above r=2, inside the slack.
        RankSweep.Row[] rows =
        [
            Row(1, 1.00, 0.01, 0.80), Row(2, 0.90, 0.01, 0.70), Row(4, 0.95, 0.01, 0.60), Row(8, 0.93, 0.05, 0.50), Row(16, 0.91, 0.01, 0.40),
        ];
        string dev = RankSweep.Verdict(rows);
        Assert.StartsWith("Bar missed: r=4 (0.9500 ± 0.0100) is 5.6 % above r=2 (0.9000 ± 0.0100), the gap 0.0500 is beyond twice its seed standard error (0.0163); "
            + "r=8 (0.9300 ± 0.0500) is 3.3 % above r=2 (0.9000 ± 0.0100), the gap 0.0300 is within twice its seed standard error (0.0589).", dev, StringComparison.Ordinal);
        Assert.EndsWith("No run diverged.", dev, StringComparison.Ordinal);
        Assert.Equal("Train loss (same rule): non-increasing in r within 2 % relative.", RankSweep.TrainVerdict(rows));

        rows[3] = rows[3] with { TrainLoss = 0.75, TrainLossSd = double.NaN, Seeds = 1 };
        Assert.Equal("Train loss (same rule) rises: r=8 (0.7500) is 25.0 % above r=4 (0.6000 ± 0.0100), one seed, no spread.", RankSweep.TrainVerdict(rows));
        rows[0] = rows[0] with { TrainLoss = double.NaN };
        Assert.Equal("Train loss: not measured for every rank.", RankSweep.TrainVerdict(rows));
    }

    private static RankSweep.Row Row(int rank, double devLoss, double devLossSd, double trainLoss) => new(rank, 1000 * rank, devLoss, 30, false, devLossSd, trainLoss, 0.01, 3);
}
