using System;

namespace CompactRnn.Onnx.Graphs;

/// <summary>A constant tensor (graph initializer): float32, int64 or int8 data, row-major, with its dimensions.</summary>
internal sealed class OnnxTensor
{
    /// <summary>A float32 tensor; <paramref name="data"/> must hold the product of the dimensions.</summary>
    public OnnxTensor(string name, long[] dims, float[] data)
    {
        Check(dims, data.Length);
        Name = name;
        Dims = dims;
        Floats = data;
    }

    /// <summary>An int64 tensor; <paramref name="data"/> must hold the product of the dimensions.</summary>
    public OnnxTensor(string name, long[] dims, long[] data)
    {
        Check(dims, data.Length);
        Name = name;
        Dims = dims;
        Int64s = data;
    }

    /// <summary>An int8 tensor (quantized weights); <paramref name="data"/> must hold the product of the dimensions.</summary>
    public OnnxTensor(string name, long[] dims, sbyte[] data)
    {
        Check(dims, data.Length);
        Name = name;
        Dims = dims;
        Int8s = data;
    }

    public string Name { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public long[] Dims { get; }

    public float[]? Floats { get; }

    public long[]? Int64s { get; }

    public sbyte[]? Int8s { get; }

    private static void Check(long[] dims, int length)
    {
        long count = 1;
        foreach (long dim in dims)
        {
            count *= dim;
        }

        if (count != length)
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dims)}] need {count} values but {length} were given.", nameof(dims));
        }
    }
}
