using System;

namespace CompactRnn.Onnx.Graphs;

/// <summary>One attribute of an ONNX node: an int, a float, a list of ints or a subgraph.</summary>
internal sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The attribute name.</summary>
    public string Name { get; }

    /// <summary>Which value field is set (AttributeProto.type).</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long IntValue { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float FloatValue { get; private init; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public long[] IntsValue { get; private init; } = [];

    /// <summary>The value of a <see cref="OnnxAttributeType.Graph"/> attribute.</summary>
    public OnnxGraph? GraphValue { get; private init; }

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int) { IntValue = value };

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float) { FloatValue = value };

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeType.Ints) { IntsValue = values };

    public static OnnxAttribute Graph(string name, OnnxGraph graph)
        => new(name, OnnxAttributeType.Graph) { GraphValue = graph ?? throw new ArgumentNullException(nameof(graph)) };
}
