namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// A float32 graph input or output. Dimension i is fixed (<c>Dims[i]</c>) unless <paramref name="DimensionNames"/>
/// names it, in which case it is symbolic (ONNX <c>dim_param</c>, e.g. "time", "batch") and fixed at run time.
/// </summary>
internal sealed record OnnxValueInfo(string Name, long[] Dims, string?[]? DimensionNames = null);
