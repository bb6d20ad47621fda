using System;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Data;

public class FrameLabelerTests
{
    [Fact]
    public void Label_OnePhonePerState_AssignsByFrameCentre()
    {
        // Frame centres are at 12.5, 22.5, 32.5 … ms.
        PhoneSegment[] segments = [new(1, 0.020), new(2, 0.050), new(0, 0.080)];

        int[] labels = FrameLabeler.Label(segments, 10, 1);

        Assert.Equal([0, 1, 1, 1, 2, 2, 2, 0, 0, 0], labels);
    }

    [Fact]
    public void Label_ThreeStates_SplitsPhoneIntoThirds()
    {
        PhoneSegment[] segments = [new(1, 0.0), new(2, 0.065), new(0, 0.095)];

        int[] labels = FrameLabeler.Label(segments, 12, 3);

        // Phone 1 gets frames 0-5 (classes 1,1,2,2,3,3); phone 2 frames 6-8 (classes 4,5,6).
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 5, 6, 0, 0, 0], labels);
    }

    [Fact]
    public void Label_PhoneShorterThanStates_IsStretchedToOneFramePerState()
    {
        // Phone 2 lasts 5 ms: less than a frame; it still gets its three states.
        PhoneSegment[] segments = [new(1, 0.0), new(2, 0.040), new(1, 0.045), new(0, 0.200)];

        int[] labels = FrameLabeler.Label(segments, 25, 3);

        Assert.Equal([1, 2, 3], labels[..3]);
        Assert.Equal(3, Array.FindAll(labels, l => l is >= 4 and <= 6).Length);
        Assert.Equal([4, 5, 6], labels[Array.IndexOf(labels, 4)..(Array.IndexOf(labels, 4) + 3)]);
    }

    [Fact]
    public void Label_TooFewFrames_Throws()
    {
        PhoneSegment[] segments = [new(1, 0.0), new(2, 0.01)];

        Assert.Throws<ArgumentException>(() => FrameLabeler.Label(segments, 5, 3));
    }
}
