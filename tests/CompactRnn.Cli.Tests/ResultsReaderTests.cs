using System;
using System.IO;
using CompactRnn.Cli.Experiments;

namespace CompactRnn.Cli.Tests;

/// <summary>Issue #13 defect 7: a damaged results.csv gives a one-line error or is recovered, never a crash.</summary>
public sealed class ResultsReaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "compactrnn-results-" + Guid.NewGuid().ToString("N"));

    public ResultsReaderTests()
    {
        var store = new ResultsStore(_directory); // creates models/ and scores/
        foreach (string name in (string[])["dense-s1", "lowrank-25"])
        {
            File.WriteAllText(store.ModelPath(name), "");
            File.WriteAllText(store.ScoresPath(name), "");
        }
    }

    private string ResultsPath => Path.Combine(_directory, "results.csv");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void HalfWrittenLastRow_IsSkippedWithTheFileKept_AndTheGoodRowsResume()
    {
        string good = Row("dense-s1").ToCsv(), cut = Row("lowrank-25").ToCsv()[..40];
        File.WriteAllText(ResultsPath, ResultRow.Header + "\n" + good + "\n" + cut);

        var warnings = new StringWriter();
        var rows = ResultsCsvReader.Read(ResultsPath, warnings);
        var store = new ResultsStore(_directory);

        Assert.Equal("dense-s1", Assert.Single(rows).Name);
        Assert.True(store.IsDone("dense-s1"));
        Assert.False(store.IsDone("lowrank-25"));
        Assert.Contains("line 3", warnings.ToString(), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(ResultsPath), File.ReadAllText(ResultsPath + ".damaged"));
    }

    [Fact]
    public void RowWithScoresButNoModel_IsFinishedForReporting_AndSaysItsModelIsMissing()
    {
        // A clean clone: results.csv and scores/ are committed, models/ is not.
        File.WriteAllText(ResultsPath, ResultRow.Header + "\n" + Row("dense-s1").ToCsv() + "\n" + Row("lowrank-25").ToCsv() + "\n");
        File.Delete(new ResultsStore(_directory).ModelPath("lowrank-25"));

        var store = new ResultsStore(_directory);

        Assert.True(store.IsDone("lowrank-25"));
        Assert.False(store.HasModel("lowrank-25"));
        Assert.True(store.HasModel("dense-s1"));
        Assert.Equal(2, store.Rows.Count);
    }

    [Fact]
    public void ScoreFields_SameAfterTheCsvRoundTripAndOtherTimes_DifferentForOtherErrors()
    {
        ResultRow row = Row("dense-s1") with { Wer = 7.123456789, TrainSeconds = 100 };
        ResultRow reread = ResultRow.Parse(row.ToCsv()) with { TrainSeconds = 55, StepMicroseconds = 3 };

        Assert.Equal(row.ScoreFields(), reread.ScoreFields()); // a rebuilt model is compared with its row as results.csv holds it
        Assert.NotEqual(row.ScoreFields(), (row with { Substitutions = row.Substitutions + 1 }).ScoreFields());
        Assert.NotEqual(row.ScoreFields(), (row with { DevWer = row.DevWer + 0.001 }).ScoreFields());
    }

    [Theory]
    [InlineData("99999999999999")] // an int column that overflows
    [InlineData("x")]              // not a number
    public void RowWithABadNumber_IsSkippedNotACrash(string epochs)
    {
        string row = Row("lowrank-25").ToCsv().Replace(",7,1234,", $",{epochs},1234,", StringComparison.Ordinal);
        File.WriteAllText(ResultsPath, ResultRow.Header + "\n" + Row("dense-s1").ToCsv() + "\n" + row + "\n");

        var warnings = new StringWriter();

        Assert.Single(ResultsCsvReader.Read(ResultsPath, warnings));
        Assert.Contains("line 3", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherHeader_IsOneLineInvalidDataNamingTheFile()
    {
        File.WriteAllText(ResultsPath, "name,kind,params,wer\n" + Row("dense-s1").ToCsv() + "\n");

        var error = Assert.Throws<InvalidDataException>(() => new ResultsStore(_directory));

        Assert.Contains(ResultsPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("move the file aside", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name,kind,par")]
    public void EmptyOrCutInTheHeader_HoldsNoRows(string text)
    {
        File.WriteAllText(ResultsPath, text);

        Assert.Empty(ResultsCsvReader.Read(ResultsPath, TextWriter.Null));
        Assert.Empty(new ResultsStore(_directory).Rows);
    }

    private static ResultRow Row(string name) => new(
        name, name.StartsWith("dense", StringComparison.Ordinal) ? PlanKind.Dense : PlanKind.Scratch(LayoutKind.LowRank), "dense:h=8,p=0 x1", 1, 1000, 1.0, 4000, 5.5, new Interval(4.0, 7.0), "dense-s1", 0.5,
        new Interval(-0.5, 1.5), 6.0, double.NaN, double.NaN, 80.0, 7, 6, 1234, 12.5, double.NaN, 3, 2, 1, 10.0);
}
