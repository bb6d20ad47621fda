using System;
using System.Numerics.Tensors;

namespace CompactRnn.Training;

/// <summary>
/// Row-wise, numerically stable softmax and log-softmax over a row-major matrix <c>[rows, classCount]</c>:
/// <c>softmax(z)_c = exp(z_c − max z) / Σ_k exp(z_k − max z)</c> and
/// <c>logSoftmax(z)_c = z_c − max z − log Σ_k exp(z_k − max z)</c>. Subtracting the row maximum keeps
/// every exponent ≤ 0, so large logits cannot overflow.
/// </summary>
public static class SoftmaxFunctions
{
    /// <summary>Chunk of the stack scratch used to sum exponentials without allocating.</summary>
    private const int ScratchLength = 256;

    /// <summary>Writes the row-wise softmax of <paramref name="logits"/> to <paramref name="probabilities"/> (overwrite).</summary>
    /// <param name="logits">[rows, classCount] row-major.</param>
    /// <param name="classCount">Columns; at least 1.</param>
    /// <param name="probabilities">[rows, classCount]; may be <paramref name="logits"/>' memory (in place).</param>
    public static void Softmax(ReadOnlySpan<float> logits, int classCount, Span<float> probabilities)
    {
        int rows = RequireShape(logits, classCount, probabilities);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classCount, classCount);
            Span<float> p = probabilities.Slice(r * classCount, classCount);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        }
    }

    /// <summary>Writes the row-wise log-softmax of <paramref name="logits"/> to <paramref name="logProbabilities"/> (overwrite).</summary>
    /// <param name="logits">[rows, classCount] row-major.</param>
    /// <param name="classCount">Columns; at least 1.</param>
    /// <param name="logProbabilities">[rows, classCount]; may be <paramref name="logits"/>' memory (in place).</param>
    public static void LogSoftmax(ReadOnlySpan<float> logits, int classCount, Span<float> logProbabilities)
    {
        int rows = RequireShape(logits, classCount, logProbabilities);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classCount, classCount);
            Span<float> output = logProbabilities.Slice(r * classCount, classCount);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, output);                      // z − max
            float logSum = (float)Math.Log(SumOfExponentials(output));
            TensorPrimitives.Subtract(output, logSum, output);              // z − max − log Σ exp(z − max)
        }
    }

    /// <summary>
    /// <c>destination += scale · softmax(logits)</c> for one row, allocation-free (chunks of stack scratch; the
    /// exponentials are computed twice rather than stored, since a row can hold thousands of classes).
    /// </summary>
    internal static void AddScaledSoftmax(ReadOnlySpan<float> logits, float scale, Span<float> destination)
    {
        float max = TensorPrimitives.Max(logits);
        Span<float> scratch = stackalloc float[ScratchLength];
        double sum = 0d;
        for (int start = 0; start < logits.Length; start += ScratchLength)
        {
            Span<float> chunk = ShiftedExponentials(logits, start, max, scratch);
            sum += TensorPrimitives.Sum(chunk);
        }

        float factor = (float)(scale / sum);
        for (int start = 0; start < logits.Length; start += ScratchLength)
        {
            Span<float> chunk = ShiftedExponentials(logits, start, max, scratch);
            Span<float> target = destination.Slice(start, chunk.Length);
            TensorPrimitives.MultiplyAdd(chunk, factor, target, target);
        }
    }

    /// <summary><c>Σ exp(xᵢ)</c> with the chunk sums accumulated in double; allocation-free.</summary>
    internal static double SumOfExponentials(ReadOnlySpan<float> values)
    {
        Span<float> scratch = stackalloc float[ScratchLength];
        double sum = 0d;
        for (int start = 0; start < values.Length; start += ScratchLength)
        {
            int length = Math.Min(ScratchLength, values.Length - start);
            Span<float> chunk = scratch[..length];
            TensorPrimitives.Exp(values.Slice(start, length), chunk);
            sum += TensorPrimitives.Sum(chunk);
        }

        return sum;
    }

    // exp(z − max) of the chunk of logits that starts at start, written into the front of scratch.
    private static Span<float> ShiftedExponentials(ReadOnlySpan<float> logits, int start, float max, Span<float> scratch)
    {
        Span<float> chunk = scratch[..Math.Min(ScratchLength, logits.Length - start)];
        TensorPrimitives.Subtract(logits.Slice(start, chunk.Length), max, chunk);
        TensorPrimitives.Exp(chunk, chunk);
        return chunk;
    }

    private static int RequireShape(ReadOnlySpan<float> logits, int classCount, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (logits.Length % classCount != 0)
        {
            throw new ArgumentException($"The logits hold {logits.Length} floats, not a multiple of classCount = {classCount}.", nameof(logits));
        }

        int rows = logits.Length / classCount;
        LossArguments.RequireMatrix(destination.Length, rows, classCount, nameof(destination));
        LossArguments.RequireNoPartialOverlap(logits, destination, nameof(destination));
        return rows;
    }
}
