using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactRnn.Cli.Experiments;
using CompactRnn.Compression;
using CompactRnn.Models;

namespace CompactRnn.Cli.Tests;

public sealed class ExperimentPlanTests
{
    [Theory]
    [InlineData("quick")]
    [InlineData("full")]
    public void Plan_HasDenseSeedsHybridsAtEveryBudgetAndTheEqualTrainingControl(string name)
    {
        ExperimentPreset preset = ExperimentPreset.Get(name);
        var planner = new BudgetPlanner(preset, inputSize: 40, classes: 82);
        IReadOnlyList<ModelPlan> plans = SweepPlan.Build(preset, planner);
        Assert.Equal(plans.Count, plans.Select(p => p.Name).Distinct().Count());
        Assert.Equal(preset.Seeds, plans.Count(p => p.Kind == PlanKind.Dense));
        Assert.All(plans.Where(p => p.Kind == PlanKind.Dense), p => Assert.Equal(1, p.Stage));
        foreach (double budget in preset.Budgets)
        {
            Assert.Single(plans, p => p.Kind == PlanKind.Scratch(LayoutKind.Hybrid) && p.Budget == budget && p.Source is null);
            Assert.Contains(plans, p => p.Kind == PlanKind.Compressed(LayoutKind.Hybrid) && p.Budget == budget && p.Source == "dense");
        }

        // Every seed of the primary compressed hybrid starts from the dense model of its own seed.
        var seeded = plans.Where(p => p.Kind == PlanKind.Compressed(LayoutKind.Hybrid) && p.Budget == preset.Budgets[0]).ToList();
        Assert.Equal(preset.Seeds, seeded.Count);
        Assert.All(seeded, p => Assert.Equal(SweepPlan.Seeded("dense", p.Seed), p.Source));

        // One equal-training control per dense-long seed, each from the dense model of its seed and matched to the
        // primary compressed hybrid of the same seed (full: every seed, for the bar over seeds; quick: seed 1).
        var controls = plans.Where(p => p.Kind == PlanKind.DenseLong).ToList();
        Assert.Equal(name == "full" ? preset.Seeds : 1, controls.Count);
        Assert.Equal(preset.DenseLongSeeds, controls.Count);
        foreach (ModelPlan control in controls)
        {
            Assert.Equal(SweepPlan.Seeded("dense-long", control.Seed), control.Name);
            Assert.Equal(SweepPlan.Seeded("dense", control.Seed), control.Source);
            Assert.Null(control.Layout);
            ModelPlan matched = Assert.Single(plans, p => p.Name == control.MatchEpochsOf);
            Assert.Equal(control.Seed, matched.Seed);
            Assert.Equal(PlanKind.Compressed(LayoutKind.Hybrid), matched.Kind);
            Assert.True(control.Stage > matched.Stage, "the control runs after the row whose training it matches");
        }

        Assert.All(plans.Where(p => p.FromDense), p => Assert.True(p.Stage > 1));
        Assert.Contains(plans, p => p.Kind.FromDense && p.Kind.Layout is { } layout && layout != LayoutKind.Hybrid);
        Assert.All(plans, p => Assert.Equal(p.FromDense, p.Kind.FromDense));
    }

    [Fact]
    public void Hybrids_StayWithinTheBudgetWithTheLargestSharedRank()
    {
        var planner = new BudgetPlanner(ExperimentPreset.Full, inputSize: 40, classes: 82);
        long target = planner.Target(0.25);
        var hybrids = planner.Hybrids(0.25);
        Assert.Equal(10, hybrids.Count); // 3 layers: 1 (r = 1…32) or 2 (r = 1…8) Toeplitz-like bottom layers
        foreach (LayoutCandidate h in hybrids)
        {
            Assert.True(planner.Count(h.Spec) <= target, $"{h.Label}: {planner.Count(h.Spec)} > {target}");
            Assert.True(planner.Count(LayoutCandidate.HybridSpec(3, h.ToeplitzLayers, h.DisplacementRank, h.Rank + 1)) > target, $"{h.Label} is not the largest rank that fits");
            Assert.StartsWith("toeplitz:", h.Spec, StringComparison.Ordinal);
        }

        LayoutCandidate lowRank = planner.Uniform(LayoutKind.LowRank, 0.25)!;
        Assert.True(planner.Count(lowRank.Spec) <= target);
        Assert.Null(planner.Uniform(LayoutKind.ToeplitzLike, 0.01)); // even displacement rank 1 exceeds 1 % (dense projections and output layer)
    }

    [Theory]
    [InlineData("quick", 0.25)]
    [InlineData("quick", 0.2)]
    [InlineData("full", 0.25)]
    [InlineData("full", 0.2)]
    public void Hybrids_IncludeDisplacementRank8_AndEveryRankWithRoomForASharedRank(string preset, double share)
    {
        var planner = new BudgetPlanner(ExperimentPreset.Get(preset), inputSize: 40, classes: 82);
        long target = planner.Target(share);
        var hybrids = planner.Hybrids(share);
        Assert.Contains(hybrids, h => h.DisplacementRank == 8 && h.ToeplitzLayers == 1);
        for (int t = 1; t <= planner.Layers - 1; t++)
        {
            foreach (int r in BudgetPlanner.HybridDisplacementRanks)
            {
                bool fits = planner.Count(LayoutCandidate.HybridSpec(planner.Layers, t, r, 1)) <= target;
                Assert.Equal(fits, hybrids.Any(h => h.ToeplitzLayers == t && h.DisplacementRank == r));
            }
        }

        Assert.Contains(8, BudgetPlanner.HybridDisplacementRanks);
    }

    [Fact]
    public void Planner_CountsInClosedForm_ExactlyWhatEachSpecBuilds()
    {
        var planner = new BudgetPlanner(ExperimentPreset.Quick, inputSize: 40, classes: 82);
        Assert.Equal(new LstmNetwork(planner.Options(planner.DenseSpec)).ParameterCount, planner.DenseParameters);
        LayoutCandidate[] candidates = [planner.Uniform(LayoutKind.LowRank, 0.25)!, planner.Uniform(LayoutKind.SharedLowRank, 0.25)!, planner.Uniform(LayoutKind.ToeplitzLike, 0.25)!, .. planner.Hybrids(0.25)];
        foreach (LayoutCandidate candidate in candidates)
        {
            Assert.Equal(new LstmNetwork(planner.Options(candidate.Spec)).ParameterCount, planner.Count(candidate.Spec));
            if (candidate.Kind == LayoutKind.Hybrid)
            {
                Assert.Equal(NetworkSpec.Parse(candidate.Spec, planner.Defaults), planner.Hybrid(candidate.ToeplitzLayers, candidate.DisplacementRank, candidate.Rank));
            }
        }

        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => planner.Uniform(LayoutKind.Hybrid, 0.25)).ParamName);
    }

    [Fact]
    public void HybridSpec_SplitsBottomAndTopLayers()
    {
        Assert.Equal("toeplitz:r=2,p=40 x1 | shared-lowrank:k=40 x2", LayoutCandidate.HybridSpec(3, 1, 2, 40));
        Assert.Equal("toeplitz:r=1 x1 | toeplitz:r=1,p=30 x1 | shared-lowrank:k=30 x1", LayoutCandidate.HybridSpec(3, 2, 1, 30));
        Assert.Equal("toeplitz:r=4,p=20 x1", LayoutCandidate.HybridSpec(1, 1, 4, 20));
    }

    [Fact]
    public void Kinds_WriteTheRowAndFileTextsOfBefore()
    {
        // The typed kinds meet text only at the edges; these strings are in results.csv, search.csv and row names.
        Assert.Equal(["lowrank", "shared-lowrank", "toeplitz", "hybrid"], Enum.GetValues<LayoutKind>().Select(k => k.Name()));
        Assert.All(Enum.GetValues<LayoutKind>(), k => Assert.Equal(k, LayoutKindText.Parse(k.Name())));
        Assert.Throws<FormatException>(() => LayoutKindText.Parse("circulant"));
        Assert.Equal("dense", PlanKind.Dense.ToString());
        Assert.Equal("dense-long", PlanKind.DenseLong.ToString());
        Assert.Equal("shared-lowrank", PlanKind.Scratch(LayoutKind.SharedLowRank).ToString());
        Assert.Equal("hybrid-svd", PlanKind.Compressed(LayoutKind.Hybrid).ToString());
        Assert.Equal("toeplitz-svd", PlanKind.Compressed(LayoutKind.ToeplitzLike).ToString());
        PlanKind[] kinds = [PlanKind.Dense, PlanKind.DenseLong, .. Enum.GetValues<LayoutKind>().SelectMany(k => new[] { PlanKind.Scratch(k), PlanKind.Compressed(k) })];
        Assert.All(kinds, k => Assert.Equal(k, PlanKind.Parse(k.ToString())));
        Assert.Equal(2, kinds.Count(k => k.IsDense));
        Assert.Contains("'dense-svd'", Assert.Throws<FormatException>(() => PlanKind.Parse("dense-svd")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PlanKind.Parse("-svd"));

        var planner = new BudgetPlanner(ExperimentPreset.Quick, inputSize: 40, classes: 82);
        Assert.Equal(["dense", "dense-s2", "dense-s3", "lowrank-25", "shared-25", "toeplitz-25", "hybrid-25", "hybrid-svd-25", "hybrid-svd-25-s2", "hybrid-svd-25-s3",
            "hybrid-20", "hybrid-svd-20", "lowrank-svd-25", "shared-svd-25", "dense-long"], SweepPlan.Build(ExperimentPreset.Quick, planner).Select(p => p.Name));
        Assert.Matches("^lowrank:k=[0-9]+ x2$", planner.Uniform(LayoutKind.LowRank, 0.25)!.Spec);
        Assert.Matches("^shared-lowrank:k=[0-9]+ x2$", planner.Uniform(LayoutKind.SharedLowRank, 0.25)!.Spec);
        Assert.Matches("^toeplitz:r=[0-9]+ x2$", planner.Uniform(LayoutKind.ToeplitzLike, 0.25)!.Spec);
    }

    [Fact]
    public void ResultRow_CsvRoundTrip_KeepsMissingValuesMissing()
    {
        var row = new ResultRow("hybrid-svd-25-s2", PlanKind.Compressed(LayoutKind.Hybrid), "toeplitz:r=2,h=128,p=20 x1 | shared-lowrank:k=20,h=128,p=20 x1", 2, 35248, 0.2477, 140992, 12.5,
            new Interval(10.25, 14.75), "dense-s2", 1.5, Interval.Unknown, 14.1, double.NaN, double.NaN, 61.2, 4, 3, 1234, 56.7, double.NaN, 3, 4, 5, 20);
        ResultRow parsed = ResultRow.Parse(row.ToCsv());
        Assert.Equal(row, parsed with { StepMicroseconds = row.StepMicroseconds, GapCi = row.GapCi, UnseenAccentWer = row.UnseenAccentWer, CrossSynthWer = row.CrossSynthWer });
        Assert.False(parsed.GapCi.IsKnown);
        Assert.True(double.IsNaN(parsed.UnseenAccentWer));
        Assert.True(double.IsNaN(parsed.StepMicroseconds));
        Assert.StartsWith("name,kind,params,params_ratio,bytes,wer,wer_ci_low,wer_ci_high,gap,gap_ci_low,gap_ci_high,dev_wer,unseen_accent_wer,cross_synth_wer,frame_acc,epochs,updates,train_seconds,step_us",
            ResultRow.Header, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ResultRow.Parse("dense,dense,1,\"x\""));
    }

    [Fact]
    public void SearchFile_RoundTrip_ReturnsTheChosenLayoutFirstWithItsFit()
    {
        string directory = Directory.CreateTempSubdirectory("compactrnn-search-").FullName;
        try
        {
            var planner = new BudgetPlanner(ExperimentPreset.Quick, inputSize: 40, classes: 82);
            LayoutCandidate[] candidates = [.. planner.Hybrids(0.2), planner.Uniform(LayoutKind.LowRank, 0.2)!];
            var ranked = candidates.Select((c, i) => new LayoutSearch.Result(c, planner.Count(c.Spec), 3.0 + i, 1.0 + i, c.HasToeplitzLayers ? ToeplitzFit.Activations : null)).ToList();
            SearchFile.Append(directory, 0.2, ranked);
            var read = SearchFile.Read(directory, planner);
            Assert.Equal(ranked, read[0.2]);
            Assert.Equal(1.0, read[0.2][0].DevLossAfter);
            string[] lines = File.ReadAllLines(SearchFile.Path(directory));
            Assert.EndsWith(",spec,fit", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("\",activations", lines[1], StringComparison.Ordinal);
            Assert.EndsWith("\",", lines[^1], StringComparison.Ordinal); // low-rank: no Toeplitz-like layers, no fit
            Assert.Throws<FormatException>(() => SearchFile.Read(directory, new BudgetPlanner(ExperimentPreset.Full, inputSize: 40, classes: 82)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SearchFile_WithoutTheFitColumn_ReadsAsDisplacementSvdAndGainsTheColumnOnAppend()
    {
        string directory = Directory.CreateTempSubdirectory("compactrnn-search-").FullName;
        try
        {
            var planner = new BudgetPlanner(ExperimentPreset.Quick, inputSize: 40, classes: 82);
            LayoutCandidate h = planner.Hybrids(0.25)[0];
            string old = "budget,rank,label,kind,displacement_rank,shared_rank,toeplitz_layers,params,dev_loss_before,dev_loss_after,spec\n"
                + string.Create(CultureInfo.InvariantCulture, $"0.2500,1,{h.Label},hybrid,{h.DisplacementRank},{h.Rank},{h.ToeplitzLayers},{planner.Count(h.Spec)},3.00000,2.00000,\"{h.Spec}\"\n");
            File.WriteAllText(SearchFile.Path(directory), old);
            Assert.Equal(ToeplitzFit.DisplacementSvd, SearchFile.Read(directory, planner)[0.25][0].Fit);

            LayoutCandidate other = planner.Hybrids(0.2)[0];
            SearchFile.Append(directory, 0.2, [new LayoutSearch.Result(other, planner.Count(other.Spec), 3.0, 2.0, ToeplitzFit.Activations)]);
            var read = SearchFile.Read(directory, planner);
            Assert.Equal(ToeplitzFit.DisplacementSvd, read[0.25][0].Fit);
            Assert.Equal(ToeplitzFit.Activations, read[0.2][0].Fit);
            Assert.EndsWith(",spec,fit", File.ReadAllLines(SearchFile.Path(directory))[0], StringComparison.Ordinal);

            File.AppendAllText(SearchFile.Path(directory), old.Split('\n')[1].Replace("0.2500,1", "0.3000,1", StringComparison.Ordinal) + ",bogus\n");
            Assert.Throws<FormatException>(() => SearchFile.Read(directory, planner));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
