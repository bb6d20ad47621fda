using System;
using System.Collections.Generic;
using CompactRnn.Parameters;

namespace CompactRnn.GateMatrices;

/// <summary>
/// A linear map <c>W</c> from an input of size <c>n</c> (<see cref="InputSize"/>) to an output of size
/// <c>m</c> (<see cref="OutputSize"/>), with its parameters held outside the object so one immutable
/// instance can serve many threads, models and optimiser steps.
/// </summary>
/// <remarks>
/// <para><b>Batched layout.</b> A minibatch of <c>B</c> vectors is stored row-major: input
/// <c>[B, n]</c> (vector <c>b</c> at <c>input[b·n .. b·n + n]</c>), output <c>[B, m]</c>.</para>
/// <para><b>Accumulation.</b> <see cref="Forward"/> computes <c>Y += W·X</c>; <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/>
/// computes <c>dX += Wᵀ·dY</c> and <c>dθ += ∂⟨dY, W·X⟩/∂θ</c>. Nothing is overwritten, so several
/// matrices can add into one pre-activation buffer and several consumers into one gradient.</para>
/// <para><b>Allocation-free.</b> Scratch memory is the caller's <c>workspace</c> of
/// <see cref="WorkspaceSize"/> floats, allocated once for the largest batch. Parameter-derived values
/// (spectra) live in a cache of <see cref="CacheSize"/> floats refreshed by <see cref="Prepare"/>.</para>
/// <para><b>Deferred parameter gradients.</b> A kind may keep its parameter gradient in a dense form during a pass
/// (<see cref="GradientAccumulatorSize"/>, the accumulating <c>Backward</c> overload) and map it onto its parameters once,
/// in <see cref="FinishBackward"/>; a caller that calls one matrix many times per pass (the recurrent matrix, once per
/// step) owns one accumulator per matrix and thread. Callers that use the plain <c>Backward</c> get complete gradients
/// from every call.</para>
/// <para><b>Threading.</b> Implementations hold only sizes; every method is safe to call concurrently
/// with distinct workspaces and destinations.</para>
/// </remarks>
public abstract class GateMatrix
{
    /// <summary>Validates and stores the shape.</summary>
    /// <param name="outputSize">m, rows of W; at least 1.</param>
    /// <param name="inputSize">n, columns of W; at least 1.</param>
    protected GateMatrix(int outputSize, int inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if ((long)outputSize * inputSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"An {outputSize}×{inputSize} matrix is larger than an array can hold.");
        }

        OutputSize = outputSize;
        InputSize = inputSize;
    }

    /// <summary>m: the length of each output vector (rows of W).</summary>
    public int OutputSize { get; }

    /// <summary>n: the length of each input vector (columns of W).</summary>
    public int InputSize { get; }

    /// <summary>A short, stable name of the kind, e.g. <c>dense</c>, <c>lowrank</c>, <c>toeplitz</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The exact number of trainable floats.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>Named views into the parameter span, covering it exactly once, in storage order.</summary>
    public abstract IReadOnlyList<ParameterBlock> ParameterBlocks { get; }

    /// <summary>Floats of parameter-derived cache needed by the multiply (0 for most kinds).</summary>
    public virtual int CacheSize => 0;

    /// <summary>Floats of scratch memory needed by one <see cref="Forward"/> or <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/> call.</summary>
    /// <param name="batchSize">The number of vectors per call; at least 1.</param>
    public int WorkspaceSize(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return WorkspaceSizeCore(batchSize);
    }

    /// <summary>
    /// Refreshes the cache from the parameters; call once after every change of the parameters
    /// (for example once per optimiser step), never per time step.
    /// </summary>
    /// <param name="parameters">The matrix's parameters.</param>
    /// <param name="cache">Destination of <see cref="CacheSize"/> floats, overwritten.</param>
    public void Prepare(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireLength(cache.Length, CacheSize, nameof(cache));
        PrepareCore(parameters, cache);
    }

    /// <summary>Accumulating forward product <c>output[b] += W·input[b]</c> for <c>b &lt; batchSize</c>.</summary>
    /// <param name="weights">Parameters and prepared cache.</param>
    /// <param name="input">[batchSize, n] row-major.</param>
    /// <param name="batchSize">Number of vectors; at least 1.</param>
    /// <param name="output">[batchSize, m] row-major; added to.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(batchSize) floats of scratch.</param>
    public void Forward(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace)
    {
        ValidateWeights(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        SpanGuard.RequireAtLeast(input.Length, batchSize * InputSize, nameof(input));
        SpanGuard.RequireAtLeast(output.Length, batchSize * OutputSize, nameof(output));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(batchSize), nameof(workspace));
        ForwardCore(weights, input[..(batchSize * InputSize)], batchSize, output[..(batchSize * OutputSize)], workspace);
    }

    /// <summary>
    /// Accumulating backward pass for <c>y = W·x</c>: <c>dInput[b] += Wᵀ·dOutput[b]</c> and
    /// <c>dParameters += Σ_b ∂⟨dOutput[b], W·input[b]⟩/∂θ</c>.
    /// </summary>
    /// <param name="weights">Parameters and prepared cache, as used in the forward pass.</param>
    /// <param name="input">[batchSize, n], the forward input.</param>
    /// <param name="dOutput">[batchSize, m], ∂L/∂y.</param>
    /// <param name="batchSize">Number of vectors; at least 1.</param>
    /// <param name="dParameters">Gradient of the parameters, same layout; added to.</param>
    /// <param name="dInput">[batchSize, n], ∂L/∂x; added to. Pass an empty span to skip it.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(batchSize) floats of scratch.</param>
    public void Backward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace)
    {
        dInput = ValidateBackward(weights, input, dOutput, batchSize, dParameters, dInput, workspace);
        input = input[..(batchSize * InputSize)];
        dOutput = dOutput[..(batchSize * OutputSize)];
        if (GradientAccumulatorSize > 0 && CompletesThroughAccumulatorCore(batchSize))
        {
            // A deferring kind's complete call: accumulate into the front of the workspace and finish at once.
            Span<float> accumulator = workspace[..GradientAccumulatorSize];
            accumulator.Clear();
            AccumulateBackwardCore(weights, input, dOutput, batchSize, dInput, workspace[GradientAccumulatorSize..], accumulator);
            FinishBackwardCore(weights, accumulator, dParameters, workspace[GradientAccumulatorSize..]);
            return;
        }

        BackwardCore(weights, input, dOutput, batchSize, dParameters, dInput, workspace);
    }

    /// <summary>
    /// Whether a pass that calls this matrix once per time step should take the parameter gradient once over all
    /// rows of the pass instead of once per call: each step then calls <see cref="BackwardInput"/> only, and after the
    /// last step one <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/>
    /// over all T·B rows with an empty <c>dInput</c> adds <c>dθ</c> (the same sum, as one deep product instead of T thin
    /// ones). True for kinds whose parameter gradient needs nothing but the rows themselves (dense: <c>dW += dYᵀ·X</c>).
    /// </summary>
    public virtual bool TakesParameterGradientOverWholePass => false;

    /// <summary>
    /// The input half of the backward pass: <c>dInput[b] += Wᵀ·dOutput[b]</c>, leaving the parameter gradient to a
    /// later call (see <see cref="TakesParameterGradientOverWholePass"/>, which must be true).
    /// </summary>
    /// <param name="weights">Parameters and prepared cache, as used in the forward pass.</param>
    /// <param name="dOutput">[batchSize, m], ∂L/∂y.</param>
    /// <param name="batchSize">Number of vectors; at least 1.</param>
    /// <param name="dInput">[batchSize, n], ∂L/∂x; added to.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(batchSize) floats of scratch.</param>
    /// <exception cref="InvalidOperationException">The kind does not take its parameter gradient over a whole pass.</exception>
    public void BackwardInput(GateMatrixWeights weights, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput, Span<float> workspace)
    {
        if (!TakesParameterGradientOverWholePass)
        {
            throw new InvalidOperationException($"The {Kind} kind takes its parameter gradient in every backward call; use Backward.");
        }

        ValidateWeights(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        SpanGuard.RequireAtLeast(dOutput.Length, batchSize * OutputSize, nameof(dOutput));
        SpanGuard.RequireAtLeast(dInput.Length, batchSize * InputSize, nameof(dInput));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(batchSize), nameof(workspace));
        BackwardInputCore(weights, dOutput[..(batchSize * OutputSize)], batchSize, dInput[..(batchSize * InputSize)], workspace);
    }

    /// <summary>
    /// Floats of the deferred parameter-gradient accumulator (0 for kinds that never defer). Kinds whose
    /// parameters map non-trivially onto a dense matrix (Toeplitz-like) can, at large batches, add the dense
    /// gradient <c>∂L/∂W = Σ dYᵀ·X</c> into this accumulator on every <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float}, Span{float})"/>
    /// call of a pass and map it onto the parameters once, in <see cref="FinishBackward"/>, rather than once per call.
    /// </summary>
    public virtual int GradientAccumulatorSize => 0;

    /// <summary>
    /// Whether a backward call of <paramref name="batchSize"/> rows given an accumulator of
    /// <see cref="GradientAccumulatorSize"/> floats adds to it (so the caller must later call <see cref="FinishBackward"/>).
    /// </summary>
    /// <param name="batchSize">Rows per call; at least 1.</param>
    public bool UsesGradientAccumulator(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return GradientAccumulatorSize > 0 && UsesGradientAccumulatorCore(batchSize);
    }

    /// <summary>
    /// <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/>
    /// with a deferred parameter gradient: when <see cref="UsesGradientAccumulator"/>(<paramref name="batchSize"/>) and
    /// <paramref name="gradientAccumulator"/> is not empty, the parameter gradient of this call is added to the
    /// accumulator in the kind's own (dense) form instead of to <paramref name="dParameters"/>; otherwise the call is
    /// the complete backward pass. Contract for callers: the accumulator is all zeros before the first call of a pass,
    /// and after the last call <see cref="FinishBackward"/> moves its content into <paramref name="dParameters"/>.
    /// Input gradients are always complete on return.
    /// </summary>
    /// <param name="weights">Parameters and prepared cache, as used in the forward pass.</param>
    /// <param name="input">[batchSize, n], the forward input.</param>
    /// <param name="dOutput">[batchSize, m], ∂L/∂y.</param>
    /// <param name="batchSize">Number of vectors; at least 1.</param>
    /// <param name="dParameters">Gradient of the parameters; added to (now or by <see cref="FinishBackward"/>).</param>
    /// <param name="dInput">[batchSize, n], ∂L/∂x; added to. Pass an empty span to skip it.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(batchSize) floats of scratch.</param>
    /// <param name="gradientAccumulator">Empty, or exactly <see cref="GradientAccumulatorSize"/> floats; added to.</param>
    public void Backward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace, Span<float> gradientAccumulator)
    {
        if (gradientAccumulator.IsEmpty || !UsesGradientAccumulator(batchSize))
        {
            Backward(weights, input, dOutput, batchSize, dParameters, dInput, workspace);
            return;
        }

        SpanGuard.RequireLength(gradientAccumulator.Length, GradientAccumulatorSize, nameof(gradientAccumulator));
        dInput = ValidateBackward(weights, input, dOutput, batchSize, dParameters, dInput, workspace);
        AccumulateBackwardCore(weights, input[..(batchSize * InputSize)], dOutput[..(batchSize * OutputSize)], batchSize, dInput, workspace, gradientAccumulator);
    }

    // The checks both Backward overloads share; returns dInput cut to the batch (or empty).
    private Span<float> ValidateBackward(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        ReadOnlySpan<float> dParameters, Span<float> dInput, ReadOnlySpan<float> workspace)
    {
        ValidateWeights(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        SpanGuard.RequireAtLeast(input.Length, batchSize * InputSize, nameof(input));
        SpanGuard.RequireAtLeast(dOutput.Length, batchSize * OutputSize, nameof(dOutput));
        SpanGuard.RequireLength(dParameters.Length, ParameterCount, nameof(dParameters));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(batchSize), nameof(workspace));
        if (dInput.IsEmpty)
        {
            return dInput;
        }

        SpanGuard.RequireAtLeast(dInput.Length, batchSize * InputSize, nameof(dInput));
        return dInput[..(batchSize * InputSize)];
    }

    /// <summary>
    /// Ends a backward pass that used <paramref name="gradientAccumulator"/>: adds the parameter gradient it holds
    /// into <paramref name="dParameters"/> and clears it, ready for the next pass. Does nothing when it is empty.
    /// Call once per pass, after the last accumulating backward call, before reading <paramref name="dParameters"/>.
    /// </summary>
    /// <param name="weights">Parameters and prepared cache, as used in the pass.</param>
    /// <param name="gradientAccumulator">Empty, or exactly <see cref="GradientAccumulatorSize"/> floats; cleared.</param>
    /// <param name="dParameters">Gradient of the parameters; added to.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(1) floats of scratch.</param>
    public void FinishBackward(GateMatrixWeights weights, Span<float> gradientAccumulator, Span<float> dParameters, Span<float> workspace)
    {
        if (gradientAccumulator.IsEmpty)
        {
            return;
        }

        ValidateWeights(weights);
        SpanGuard.RequireLength(gradientAccumulator.Length, GradientAccumulatorSize, nameof(gradientAccumulator));
        SpanGuard.RequireLength(dParameters.Length, ParameterCount, nameof(dParameters));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(1), nameof(workspace));
        FinishBackwardCore(weights, gradientAccumulator, dParameters, workspace);
        gradientAccumulator.Clear();
    }

    /// <summary>Writes the equivalent dense matrix, <c>dense[i·n + j] = W_ij</c> (m×n row-major, overwritten).</summary>
    /// <param name="parameters">The matrix's parameters.</param>
    /// <param name="dense">Destination of m·n floats.</param>
    public void ToDense(ReadOnlySpan<float> parameters, Span<float> dense)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireAtLeast(dense.Length, OutputSize * InputSize, nameof(dense));
        ToDenseCore(parameters, dense[..(OutputSize * InputSize)]);
    }

    /// <summary>
    /// Draws initial parameters so that the entries of the equivalent dense matrix have mean 0 and
    /// variance close to <c>1/(3n)</c>, the variance of PyTorch's <c>U(−1/√n, 1/√n)</c> default.
    /// Each kind documents how it reaches that target.
    /// </summary>
    /// <param name="parameters">Destination, overwritten.</param>
    /// <param name="random">The seeded source of randomness.</param>
    public void Initialize(Span<float> parameters, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        InitializeCore(parameters, random);
    }

    /// <summary>The target variance of each dense-equivalent entry used by <see cref="Initialize"/>.</summary>
    protected double TargetVariance => 1.0 / (3.0 * InputSize);

    /// <summary>See <see cref="WorkspaceSize"/>; <paramref name="batchSize"/> is validated.</summary>
    protected abstract int WorkspaceSizeCore(int batchSize);

    /// <summary>See <see cref="Prepare"/>; spans are validated. The default does nothing.</summary>
    protected virtual void PrepareCore(ReadOnlySpan<float> parameters, Span<float> cache)
    {
    }

    /// <summary>See <see cref="Forward"/>; spans are validated and trimmed to their exact lengths.</summary>
    protected abstract void ForwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, int batchSize, Span<float> output, Span<float> workspace);

    /// <summary>See <see cref="Backward(GateMatrixWeights, ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float}, Span{float})"/>; spans are validated and trimmed; <paramref name="dInput"/> may be empty.</summary>
    protected abstract void BackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dParameters, Span<float> dInput, Span<float> workspace);

    /// <summary>See <see cref="BackwardInput"/>; called only when <see cref="TakesParameterGradientOverWholePass"/> is true
    /// (kinds that say yes override it); spans are validated and trimmed.</summary>
    protected virtual void BackwardInputCore(GateMatrixWeights weights, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput, Span<float> workspace)
        => throw new InvalidOperationException($"The {Kind} kind has no input-only backward call.");

    /// <summary>See <see cref="UsesGradientAccumulator"/>; called only when <see cref="GradientAccumulatorSize"/> &gt; 0.</summary>
    protected virtual bool UsesGradientAccumulatorCore(int batchSize) => false;

    /// <summary>
    /// Whether a complete backward call of <paramref name="batchSize"/> rows (no caller accumulator) should run as
    /// <see cref="AccumulateBackwardCore"/> into a temporary accumulator at the front of the workspace, then
    /// <see cref="FinishBackwardCore"/>. Kinds that say yes reserve <see cref="GradientAccumulatorSize"/> floats ahead
    /// of that call's own scratch in <see cref="WorkspaceSizeCore"/>. Called only when <see cref="GradientAccumulatorSize"/> &gt; 0.
    /// </summary>
    protected virtual bool CompletesThroughAccumulatorCore(int batchSize) => false;

    /// <summary>
    /// The accumulating backward call: complete <paramref name="dInput"/> (may be empty), parameter gradient added to
    /// <paramref name="gradientAccumulator"/>. Called only when <see cref="UsesGradientAccumulatorCore"/> is true;
    /// spans are validated and trimmed. The default throws: kinds that defer override it.
    /// </summary>
    protected virtual void AccumulateBackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput, Span<float> workspace, Span<float> gradientAccumulator)
        => throw new InvalidOperationException($"The {Kind} kind does not defer its parameter gradient.");

    /// <summary>See <see cref="FinishBackward"/>: add the accumulated gradient's parameter form to <paramref name="dParameters"/>
    /// (the caller then clears the accumulator). The default does nothing.</summary>
    protected virtual void FinishBackwardCore(GateMatrixWeights weights, ReadOnlySpan<float> gradientAccumulator, Span<float> dParameters, Span<float> workspace)
    {
    }

    /// <summary>See <see cref="ToDense"/>; spans are validated and trimmed.</summary>
    protected abstract void ToDenseCore(ReadOnlySpan<float> parameters, Span<float> dense);

    /// <summary>See <see cref="Initialize"/>; spans are validated.</summary>
    protected abstract void InitializeCore(Span<float> parameters, Random random);

    private void ValidateWeights(GateMatrixWeights weights)
    {
        SpanGuard.RequireLength(weights.Parameters.Length, ParameterCount, "weights.Parameters");
        SpanGuard.RequireLength(weights.Cache.Length, CacheSize, "weights.Cache");
    }
}
