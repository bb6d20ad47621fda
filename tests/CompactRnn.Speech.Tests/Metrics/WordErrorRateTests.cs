using CompactRnn.Speech.Metrics;

namespace CompactRnn.Speech.Tests.Metrics;

public class WordErrorRateTests
{
    private static string[] Words(string text) => text.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("one two three", "one two three", 0, 0, 0)]
    [InlineData("one two three", "one five three", 1, 0, 0)]
    [InlineData("one two three", "one three", 0, 1, 0)]
    [InlineData("one two three", "one two two three", 0, 0, 1)]
    [InlineData("one two three four", "one nine three four oh", 1, 0, 1)]
    [InlineData("one two three", "", 0, 3, 0)]
    [InlineData("six", "six six six", 0, 0, 2)]
    [InlineData("zero oh one", "oh one two", 0, 1, 1)]
    [InlineData("a b c d e", "x y", 2, 3, 0)]
    public void Compute_HandMadeCase_CountsSubstitutionsDeletionsInsertions(string reference, string hypothesis, int s, int d, int i)
    {
        EditCounts counts = WordErrorRate.Compute(Words(reference), Words(hypothesis));

        Assert.Equal((s, d, i), (counts.Substitutions, counts.Deletions, counts.Insertions));
        Assert.Equal(Words(reference).Length, counts.ReferenceLength);
    }

    [Fact]
    public void Compute_EmptyReferenceAndHypothesis_RateIsZero()
    {
        EditCounts counts = WordErrorRate.Compute([], []);

        Assert.Equal(0, counts.Errors);
        Assert.Equal(0.0, counts.Rate);
    }

    [Fact]
    public void Add_SeveralUtterances_AccumulatesCorpusRateAndSentenceErrors()
    {
        var wer = new WordErrorRate();

        wer.Add(Words("one two three four"), Words("one two three four"));
        wer.Add(Words("five six"), Words("five"));
        wer.Add(Words("seven eight nine oh"), Words("seven eight eight nine zero"));

        // N = 4 + 2 + 4 = 10; errors: 1 deletion, then 1 insertion + 1 substitution.
        Assert.Equal(new EditCounts(1, 1, 1, 10), wer.Totals);
        Assert.Equal(0.3, wer.Rate, 12);
        Assert.Equal(3, wer.Sentences);
        Assert.Equal(2, wer.SentenceErrors);
        Assert.Equal(2.0 / 3.0, wer.SentenceErrorRate, 12);
    }

    [Fact]
    public void Align_IntegerSequences_MatchesLevenshteinDistance()
    {
        int[] reference = [1, 2, 3, 4, 5, 6];
        int[] hypothesis = [2, 3, 9, 5, 6, 7];

        EditCounts counts = EditDistance.Align(reference, hypothesis);

        // Classic distance 3: delete 1, substitute 4→9, insert 7.
        Assert.Equal(3, counts.Errors);
        Assert.Equal((1, 1, 1), (counts.Substitutions, counts.Deletions, counts.Insertions));
    }
}
