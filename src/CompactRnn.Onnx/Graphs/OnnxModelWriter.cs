using System;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// Serialises an <see cref="OnnxGraph"/> as an ONNX ModelProto (IR version 8, default-domain opset 17).
/// Field numbers are those published in onnx.proto; only the fields the exporter and the benchmarks need are written.
/// </summary>
internal static class OnnxModelWriter
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    private const int FloatElementType = 1;
    private const int Int8ElementType = 3;
    private const int Int64ElementType = 7;

    /// <summary>The model bytes, ready for <c>new InferenceSession(bytes, options)</c>.</summary>
    public static byte[] Write(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var opset = new ProtobufWriter();
        opset.WriteString(1, string.Empty);       // OperatorSetIdProto.domain: "" is the default ONNX domain
        opset.WriteInt64(2, Opset);               // OperatorSetIdProto.version

        var model = new ProtobufWriter();
        model.WriteInt64(1, IrVersion);           // ModelProto.ir_version
        model.WriteString(2, "CompactRnn.Onnx");    // ModelProto.producer_name
        model.WriteMessage(7, EncodeGraph(graph)); // ModelProto.graph
        model.WriteMessage(8, opset);             // ModelProto.opset_import
        return model.ToArray();
    }

    private static ProtobufWriter EncodeGraph(OnnxGraph graph)
    {
        var writer = new ProtobufWriter();
        foreach (OnnxNode node in graph.Nodes)
        {
            writer.WriteMessage(1, EncodeNode(node));          // GraphProto.node
        }

        writer.WriteString(2, graph.Name);                     // GraphProto.name
        foreach (OnnxTensor tensor in graph.Initializers)
        {
            writer.WriteMessage(5, EncodeTensor(tensor));      // GraphProto.initializer
        }

        foreach (OnnxValueInfo input in graph.Inputs)
        {
            writer.WriteMessage(11, EncodeValueInfo(input));   // GraphProto.input
        }

        foreach (OnnxValueInfo output in graph.Outputs)
        {
            writer.WriteMessage(12, EncodeValueInfo(output));  // GraphProto.output
        }

        return writer;
    }

    private static ProtobufWriter EncodeNode(OnnxNode node)
    {
        var writer = new ProtobufWriter();
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);                      // NodeProto.input
        }

        foreach (string output in node.Outputs)
        {
            writer.WriteString(2, output);                     // NodeProto.output
        }

        writer.WriteString(3, node.Name);                      // NodeProto.name
        writer.WriteString(4, node.OpType);                    // NodeProto.op_type
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            writer.WriteMessage(5, EncodeAttribute(attribute)); // NodeProto.attribute
        }

        return writer;
    }

    private static ProtobufWriter EncodeAttribute(OnnxAttribute attribute)
    {
        var writer = new ProtobufWriter();
        writer.WriteString(1, attribute.Name);                 // AttributeProto.name
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                writer.WriteFloat(2, attribute.FloatValue);    // AttributeProto.f
                break;
            case OnnxAttributeType.Int:
                writer.WriteInt64(3, attribute.IntValue);      // AttributeProto.i
                break;
            case OnnxAttributeType.Graph:
                writer.WriteMessage(6, EncodeGraph(attribute.GraphValue!)); // AttributeProto.g
                break;
            case OnnxAttributeType.Ints:
                writer.WritePackedInt64(8, attribute.IntsValue); // AttributeProto.ints
                break;
            default:
                throw new InvalidOperationException($"Unsupported attribute type {attribute.Type}.");
        }

        writer.WriteInt64(20, (long)attribute.Type);           // AttributeProto.type
        return writer;
    }

    private static ProtobufWriter EncodeTensor(OnnxTensor tensor)
    {
        var writer = new ProtobufWriter();
        writer.WritePackedInt64(1, tensor.Dims);               // TensorProto.dims
        writer.WriteInt64(2, tensor.Floats is not null ? FloatElementType : tensor.Int8s is not null ? Int8ElementType : Int64ElementType); // TensorProto.data_type
        writer.WriteString(8, tensor.Name);                    // TensorProto.name
        if (tensor.Floats is not null)
        {
            writer.WriteRawFloats(9, tensor.Floats);           // TensorProto.raw_data
        }
        else if (tensor.Int8s is not null)
        {
            writer.WriteBytes(9, System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Int8s.AsSpan())); // TensorProto.raw_data, one byte each
        }
        else
        {
            writer.WritePackedInt64(7, tensor.Int64s!);        // TensorProto.int64_data
        }

        return writer;
    }

    private static ProtobufWriter EncodeValueInfo(OnnxValueInfo value)
    {
        var shape = new ProtobufWriter();
        for (int i = 0; i < value.Dims.Length; i++)
        {
            var dimension = new ProtobufWriter();
            string? symbol = value.DimensionNames is null ? null : value.DimensionNames[i];
            if (symbol is null)
            {
                dimension.WriteInt64(1, value.Dims[i]);        // TensorShapeProto.Dimension.dim_value
            }
            else
            {
                dimension.WriteString(2, symbol);              // TensorShapeProto.Dimension.dim_param
            }

            shape.WriteMessage(1, dimension);                  // TensorShapeProto.dim
        }

        var tensorType = new ProtobufWriter();
        tensorType.WriteInt64(1, FloatElementType);            // TypeProto.Tensor.elem_type
        tensorType.WriteMessage(2, shape);                     // TypeProto.Tensor.shape
        var type = new ProtobufWriter();
        type.WriteMessage(1, tensorType);                      // TypeProto.tensor_type
        var writer = new ProtobufWriter();
        writer.WriteString(1, value.Name);                     // ValueInfoProto.name
        writer.WriteMessage(2, type);                          // ValueInfoProto.type
        return writer;
    }
}
