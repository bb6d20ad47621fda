using System.Collections.Generic;
using System.Globalization;

namespace CompactRnn.Onnx.Graphs;

/// <summary>
/// An ONNX graph under construction: nodes in topological order, constant initializers, and typed
/// inputs/outputs (all float32; initializers may also be int64 or int8). Used for main graphs and for Scan bodies alike.
/// </summary>
internal sealed class OnnxGraph
{
    private int _nodeCount;

    public OnnxGraph(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxTensor> Initializers { get; } = [];

    public List<OnnxValueInfo> Inputs { get; } = [];

    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>Declares a graph input.</summary>
    public string AddInput(string name, params long[] dims)
    {
        Inputs.Add(new OnnxValueInfo(name, dims));
        return name;
    }

    /// <summary>Declares a graph input whose named dimensions are symbolic (null entries are fixed).</summary>
    public string AddInput(string name, string?[] dimensionNames, params long[] dims)
    {
        Inputs.Add(new OnnxValueInfo(name, dims, dimensionNames));
        return name;
    }

    /// <summary>Declares a graph output (produced by some node).</summary>
    public void AddOutput(string name, params long[] dims) => Outputs.Add(new OnnxValueInfo(name, dims));

    /// <summary>Declares a graph output whose named dimensions are symbolic (null entries are fixed).</summary>
    public void AddOutput(string name, string?[] dimensionNames, params long[] dims) => Outputs.Add(new OnnxValueInfo(name, dims, dimensionNames));

    /// <summary>Adds a float32 constant and returns its name.</summary>
    public string AddInitializer(string name, float[] data, params long[] dims)
    {
        Initializers.Add(new OnnxTensor(name, dims, data));
        return name;
    }

    /// <summary>Adds an int64 constant and returns its name.</summary>
    public string AddInt64Initializer(string name, long[] data, params long[] dims)
    {
        Initializers.Add(new OnnxTensor(name, dims, data));
        return name;
    }

    /// <summary>Adds an int8 constant (quantized weights) and returns its name.</summary>
    public string AddInt8Initializer(string name, sbyte[] data, params long[] dims)
    {
        Initializers.Add(new OnnxTensor(name, dims, data));
        return name;
    }

    /// <summary>Adds a node with any number of outputs.</summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"{Name}_{opType}_{_nodeCount++}");
        Nodes.Add(new OnnxNode(name, opType, inputs, outputs, attributes));
    }

    /// <summary>Adds a one-output node and returns the output's name.</summary>
    public string Op(string opType, string output, params string[] inputs)
    {
        AddNode(opType, inputs, [output]);
        return output;
    }
}
