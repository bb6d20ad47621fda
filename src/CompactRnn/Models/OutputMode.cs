namespace CompactRnn.Models;

/// <summary>Which frames the output (softmax) layer reads.</summary>
public enum OutputMode
{
    /// <summary>One output per frame (frame classification, e.g. phone posteriors).</summary>
    Frame,

    /// <summary>One output per sequence, read from its last valid frame (sequence classification).</summary>
    LastFrame,
}
