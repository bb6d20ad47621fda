using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

/// <summary>runs.csv of the rank sweep: rows carry their recipe, and rows written before those columns read as the quick recipe.</summary>
public sealed class RankSweepRunsTests
{
    [Fact]
    public void Run_CsvRoundTrip_KeepsTheRecipe()
    {
        var run = new RankSweep.Run(8, 3, "vp", 56274, 1.8532, 27.91, false, 18, 14, 271.2, 40, 4, 2);
        Assert.Equal(run, RankSweep.Run.Parse(run.ToCsv()));
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
}
