namespace CompactRnn.Onnx.Graphs;

/// <summary>The AttributeProto.AttributeType values this writer uses (numbers from onnx.proto).</summary>
internal enum OnnxAttributeType
{
    Float = 1,
    Int = 2,
    Graph = 5,
    Ints = 7,
}
