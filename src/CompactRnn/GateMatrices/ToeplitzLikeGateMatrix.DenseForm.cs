using System;
using System.Runtime.InteropServices;
using CompactRnn.Kernels;

namespace CompactRnn.GateMatrices;

/// <content>The dense form: W cached by Prepare, GEMM products, and the dense gradient's projection onto G, H.</content>
public sealed partial class ToeplitzLikeGateMatrix
{
    /// <summary>Whether a call of <paramref name="batchSize"/> rows runs through the dense form.</summary>
    internal bool UsesDenseForm(int batchSize) => HasDenseForm && batchSize >= DenseBatchThreshold;

    /// <inheritdoc />
    protected override bool UsesGradientAccumulatorCore(int batchSize) => UsesDenseForm(batchSize);

    /// <summary>Writes W_ik to <c>dense[i·rowStride + k]</c> (m×n), using <paramref name="scratch"/> (at least 2N floats).</summary>
    internal void WriteDense(ReadOnlySpan<float> parameters, Span<float> dense, int rowStride, Span<float> scratch)
        => ToeplitzLikeDenseForm.Write(_blocks[0].Slice(parameters), _blocks[1].Slice(parameters), DisplacementRank, EmbeddingSize, OutputSize, InputSize,
            dense, rowStride, MemoryMarshal.Cast<float, double>(scratch[..(2 * ToeplitzLikeDenseForm.WriteScratchLength(EmbeddingSize))]));

    /// <summary>Adds to <paramref name="dParameters"/> the generator gradient of a dense gradient ∂L/∂W_ik at
    /// <c>dDense[i·rowStride + k]</c>, using <paramref name="scratch"/> (at least 2N floats).</summary>
    internal void ProjectDense(ReadOnlySpan<float> parameters, ReadOnlySpan<float> dDense, int rowStride, Span<float> dParameters, Span<float> scratch)
        => ToeplitzLikeDenseForm.Project(_blocks[0].Slice(parameters), _blocks[1].Slice(parameters), DisplacementRank, EmbeddingSize, OutputSize, InputSize,
            dDense, rowStride, _blocks[0].Slice(dParameters), _blocks[1].Slice(dParameters), scratch);

    /// <inheritdoc />
    protected override void AccumulateBackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput, Span<float> workspace, Span<float> gradientAccumulator)
    {
        Gemm.MultiplyAddTransposedA(dOutput, input, gradientAccumulator, OutputSize, InputSize, batchSize); // dW += dYᵀ·X
        if (!dInput.IsEmpty)
        {
            Gemm.MultiplyAdd(dOutput, DenseForm(weights.Cache), dInput, batchSize, InputSize, OutputSize); // dX += dY·W
        }
    }

    /// <inheritdoc />
    protected override void FinishBackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> gradientAccumulator, Span<float> dParameters, Span<float> workspace)
        => ProjectDense(weights.Parameters, gradientAccumulator, InputSize, dParameters, workspace);

    private ReadOnlySpan<float> DenseForm(ReadOnlySpan<float> cache) => cache.Slice(SpectraLength, DenseLength);
}
