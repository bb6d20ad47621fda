using System.Collections.Generic;

namespace CompactRnn.Onnx.Graphs;

/// <summary>One operator call of a graph; an empty input name marks an omitted optional input.</summary>
internal sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);
