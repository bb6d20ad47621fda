using CompactRnn.Cli.Reporting;

namespace CompactRnn.Cli.Tests;

/// <summary>The summary's reading groups compact rows into 5-point bands closed above, so a row is never read against a tighter budget than it meets.</summary>
public sealed class BudgetBandTests
{
    [Theory]
    [InlineData(0.2228, 0.25)] // toeplitz-25 of the quick preset: inside 25 %, above 20 %
    [InlineData(0.2493, 0.25)]
    [InlineData(0.25, 0.25)]
    [InlineData(0.1953, 0.20)]
    [InlineData(0.2, 0.20)]
    [InlineData(0.2001, 0.25)]
    public void BudgetBand_IsSmallestFivePercentStepAtOrAboveRatio(double ratio, double band)
        => Assert.Equal(band, SummaryWriter.BudgetBand(ratio), 12);
}
