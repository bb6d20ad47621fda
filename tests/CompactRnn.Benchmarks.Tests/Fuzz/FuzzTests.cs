using CompactRnn.Benchmarks.Fuzz;

namespace CompactRnn.Benchmarks.Tests.Fuzz;

/// <summary>
/// Issue #13's fuzz targets, bounded for CI (a few thousand cases, fixed seed, about 10–30 s on a loaded 2-core
/// machine): mutated and crafted model files, datasets and state dicts end only in documented outcomes, never load
/// damaged contents silently, and stay within the allocation and time bounds. The long run is the <c>fuzz</c>
/// command (docs/model-format.md, "Fuzzing").
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void MutatedAndCraftedFiles_EndOnlyInDocumentedOutcomes_WithinBounds()
    {
        FuzzReport report = FuzzCommand.Fuzz(models: 1500, datasets: 1500, imports: 1000, seed: 20261205);

        foreach (FuzzTally tally in report.Tallies)
        {
            Assert.True(tally.DefectCount == 0, $"{tally.Target}: {tally.DefectCount} defects:\n{string.Join("\n", tally.Defects)}");
            Assert.True(tally.MaxExtraAllocation <= FuzzRun.MaxExtraAllocation, $"{tally.Target}: {tally.MaxExtraAllocation:N0} bytes beyond the file ({tally.MaxExtraAllocationCase})");
            Assert.True(tally.MaxLoadTime <= FuzzRun.MaxLoadTime, $"{tally.Target}: a read took {tally.MaxLoadTime} ({tally.MaxLoadTimeCase})");
        }

        Assert.True(report.MeetsTargets);
    }
}
