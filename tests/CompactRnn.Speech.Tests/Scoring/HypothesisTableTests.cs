using System.IO;
using System.Linq;
using CompactRnn.Speech.Scoring;
using CompactRnn.Speech.Tests.Fixtures;

namespace CompactRnn.Speech.Tests.Scoring;

public class HypothesisTableTests
{
    [Fact]
    public void WriteRead_RoundTrip_KeepsEverything()
    {
        using var directory = new TemporaryDirectory();
        ScoredUtterance[] results =
        [
            new("test-00001", "test", "en-us+m7", "en-us", ["one", "two", "three"], ["one", "three", "three", "oh"]),
            new("test-00002", "cross-synth", "flite+slt", "flite", ["nine"], []),
        ];
        string path = directory.File("hyp.tsv");

        HypothesisTable.Write(path, results);
        var read = HypothesisTable.Read(path);

        Assert.Equal(HypothesisTable.Header, File.ReadLines(path).First());
        Assert.Equal("test-00001\ttest\ten-us+m7\ten-us\t1\t0\t1\t3\tone two three\tone three three oh", File.ReadLines(path).ElementAt(1));
        Assert.Equal(results.Select(r => (r.Id, r.Set, r.Speaker, r.Accent, r.Errors)), read.Select(r => (r.Id, r.Set, r.Speaker, r.Accent, r.Errors)));
        Assert.Equal(results[0].Hypothesis, read[0].Hypothesis);
        Assert.Empty(read[1].Hypothesis);
    }

    [Fact]
    public void Read_CountsDisagreeWithAlignment_ErrorNamesTheLine()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("bad.tsv");
        File.WriteAllText(path, HypothesisTable.Header + "\nu1\ttest\tx+a\tx\t0\t0\t0\t1\tone\tone\nu2\ttest\tx+a\tx\t0\t0\t0\t1\tone\ttwo\n");

        var error = Assert.Throws<InvalidDataException>(() => HypothesisTable.Read(path));

        Assert.Contains("bad.tsv:3:", error.Message, System.StringComparison.Ordinal);
    }
}
