using System.Collections.Generic;
using System.Linq;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

/// <summary>A clean clone has rows and scores but no models: only the sources of what is still to train are retrained.</summary>
public sealed class SourceRebuildsTests
{
    private static readonly IReadOnlyList<ModelPlan> Plans = SweepPlan.Build(ExperimentPreset.Full, new BudgetPlanner(ExperimentPreset.Full, inputSize: 40, classes: 82));

    [Fact]
    public void NewControls_RebuildOnlyTheirDenseSources()
    {
        // Every row finished except the two new controls; no model in the folder; search and rate saved.
        var pending = new HashSet<string> { "dense-long-s2", "dense-long-s3" };
        HashSet<string> rebuild = SourceRebuilds.Find(Plans, name => !pending.Contains(name), _ => false, searchPending: false);

        Assert.Equal(["dense-s2", "dense-s3"], rebuild.Order());
    }

    [Fact]
    public void NothingPending_OrModelsPresent_RebuildsNothing()
    {
        Assert.Empty(SourceRebuilds.Find(Plans, _ => true, _ => false, searchPending: true)); // nothing to train: report only
        Assert.Empty(SourceRebuilds.Find(Plans, name => name != "dense-long-s2", _ => true, searchPending: true)); // models kept
    }

    [Fact]
    public void UnsavedSearch_NeedsTheSeedOneDenseModel()
    {
        // hybrid-20 trains from scratch (no source) but waits for the layout search, which starts from dense.
        Assert.Equal(["dense"], SourceRebuilds.Find(Plans, name => name != "hybrid-20", _ => false, searchPending: true).Order());
        Assert.Empty(SourceRebuilds.Find(Plans, name => name != "hybrid-20", _ => false, searchPending: false));
    }
}
