namespace CompactRnn.Benchmarks.Onnx;

/// <summary>A float32 graph input or output with a fixed shape.</summary>
internal sealed record OnnxValueInfo(string Name, long[] Dims);
