using System;

namespace CompactRnn.Interop;

/// <summary>A named tensor of a PyTorch <c>state_dict</c>: its shape and its elements, flat, row-major (C order).</summary>
public sealed record PyTorchTensor
{
    /// <summary>Validates that <paramref name="data"/> holds exactly Product(<paramref name="shape"/>) elements.</summary>
    /// <param name="shape">The dimensions, outermost first; none negative.</param>
    /// <param name="data">The elements.</param>
    public PyTorchTensor(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = dimension == 0 ? 0 : count > Array.MaxLength / dimension ? long.MaxValue : count * dimension; // saturates instead of wrapping
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {count} elements but data has {data.Length}.", nameof(data));
        }

        Shape = shape;
        Data = data;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The elements, row-major.</summary>
    public float[] Data { get; }

    /// <summary>Whether the tensor has exactly the given dimensions.</summary>
    public bool HasShape(params int[] dimensions) => Shape.AsSpan().SequenceEqual(dimensions);

    /// <summary>The shape as text, e.g. <c>[28, 5]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
