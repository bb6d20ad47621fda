using System;
using System.Linq;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

public sealed class ExperimentPlanTests
{
    [Fact]
    public void Plan_Quick_HasEveryKindAtEveryBudgetNearTheTarget()
    {
        var planner = new BudgetPlanner(ExperimentPreset.Quick, inputSize: 40, classes: 82);
        var plans = planner.Plan();
        Assert.Equal(1 + (7 * 4), plans.Count);
        Assert.Equal("dense", plans[0].Kind);
        foreach (string kind in new[] { "lowrank", "shared-lowrank", "toeplitz", "hybrid", "lowrank-svd", "shared-lowrank-svd", "hybrid-svd" })
        {
            Assert.Equal(4, plans.Count(p => p.Kind == kind));
        }

        foreach (ModelPlan plan in plans.Where(p => p.Kind is "lowrank" or "toeplitz" or "hybrid"))
        {
            double ratio = (double)planner.Count(plan.Spec) / planner.DenseParameters;
            bool smallestRank = plan.Spec.Contains("k=1 ", StringComparison.Ordinal) || plan.Spec.Contains("r=1 ", StringComparison.Ordinal);
            Assert.True(Math.Abs(ratio - plan.Budget) < 0.05 || (smallestRank && ratio > plan.Budget), // fixed parts (projections, output layer) can exceed a small budget
                 $"{plan.Name}: {ratio:P1} for a {plan.Budget:P0} budget ({plan.Spec})");
        }

        Assert.All(plans.Where(p => p.Kind == "hybrid"), p => Assert.StartsWith("toeplitz:", p.Spec, StringComparison.Ordinal));
        foreach (ModelPlan fitted in plans.Where(p => p.Kind == "hybrid-svd"))
        {
            ModelPlan scratch = plans.Single(p => p.Kind == "hybrid" && p.Budget == fitted.Budget);
            Assert.Equal(scratch.Spec, fitted.Spec);
            Assert.Contains($"r={fitted.DisplacementRank},", scratch.Spec, StringComparison.Ordinal);
            Assert.Contains($"k={fitted.Rank} ", scratch.Spec, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ResultRow_CsvRoundTrip_IsExactToThePrintedDigits()
    {
        var row = new ResultRow("hybrid-25", "hybrid", "toeplitz:r=2 x1 | shared-lowrank:k=20 x1", 35248, 0.2477, 140992, 12.5, 3, 4, 5, 20, 61.2, 14.1, 56.7, double.NaN, 1);
        ResultRow parsed = ResultRow.Parse(row.ToCsv());
        Assert.Equal(row.Name, parsed.Name);
        Assert.Equal(row.Spec, parsed.Spec);
        Assert.Equal(row.Params, parsed.Params);
        Assert.Equal(row.Wer, parsed.Wer);
        Assert.True(double.IsNaN(parsed.StepMicroseconds));
        Assert.StartsWith("name,kind,params,params_ratio,wer,frame_acc,train_seconds,step_us", ResultRow.Header, StringComparison.Ordinal);
    }
}
