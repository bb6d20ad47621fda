using CompactRnn.Speech.Metrics;

namespace CompactRnn.Speech.Tests.Metrics;

public class FrameMetricsTests
{
    [Fact]
    public void CollapseToPhones_RunsAndSilence_CollapsesRunsAndDropsSilence()
    {
        int[] labels = [0, 0, 3, 3, 4, 0, 4, 4, 2, 0];

        Assert.Equal([3, 4, 4, 2], FrameMetrics.CollapseToPhones(labels, 0));
    }

    [Fact]
    public void CountCorrectFrames_ArgMaxAgainstLabels_CountsMatches()
    {
        float[] posteriors = [0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f];
        int[] labels = [1, 1, 1];

        Assert.Equal(2, FrameMetrics.CountCorrectFrames(posteriors, labels, 2));
    }

    [Fact]
    public void PhoneErrors_OneWrongSegment_CountsOneSubstitution()
    {
        // Reference phones 1 2 1; the classifier says 1 1 ... then 3 where 2 was.
        int[] labels = [0, 1, 1, 2, 2, 1, 0];
        float[] posteriors = new float[7 * 4];
        int[] argMax = [0, 1, 1, 3, 3, 1, 0];
        for (int t = 0; t < 7; t++)
        {
            posteriors[(t * 4) + argMax[t]] = 1f;
        }

        EditCounts counts = FrameMetrics.PhoneErrors(posteriors, labels, 4, 0);

        Assert.Equal(new EditCounts(1, 0, 0, 3), counts);
    }
}
