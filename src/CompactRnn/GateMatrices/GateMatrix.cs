using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Kernels;
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
/// <para><b>Backward sessions.</b> A caller that calls one matrix many times per pass (the recurrent matrix, once per
/// time step) opens a <see cref="GateMatrixBackwardSession"/> with <see cref="BeginBackward"/>, calls
/// <see cref="GateMatrixBackwardSession.Step"/> once per call and <see cref="GateMatrixBackwardSession.Finish"/> at the end:
/// <c>dX</c> is complete after every step, <c>dθ</c> after Finish. Each kind decides what it defers in between (Toeplitz-like:
/// the dense <c>∂L/∂W</c>, mapped onto the generators once; dense: its whole <c>dW</c> when the caller keeps all rows of the
/// pass; low-rank: nothing), so the caller's loop is the same for every kind.</para>
/// <para><b>Threading.</b> Implementations hold only sizes and tables derived from them (FFT plans, Toeplitz-like η tables,
/// built once and never changed afterwards), never parameters or per-call state; every method is safe to call concurrently
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

    /// <summary>
    /// The text form of the spec that builds this matrix as built (its size parameter clamped to the shape), e.g. <c>dense</c>,
    /// <c>lowrank:k=16</c>, <c>toeplitz:r=4</c>: what the layer spec's text writes (<c>kind[:key=value]</c>). A kind without a size
    /// parameter of its own writes its name alone.
    /// </summary>
    public string SpecText => FormatSpecText(Kind, SizeParameter);

    /// <summary>The kind's size parameter as built, with its key in text form (<c>k</c> for ranks, <c>r</c> for displacement ranks),
    /// or null for a kind without one.</summary>
    private protected virtual (char Key, int Value)? SizeParameter => null;

    /// <summary>The exact number of trainable floats.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>Named views into the parameter span, covering it exactly once, in storage order.</summary>
    public abstract IReadOnlyList<ParameterBlock> ParameterBlocks { get; }

    /// <summary>Floats of parameter-derived cache needed by the multiply (0 for most kinds).</summary>
    public virtual int CacheSize => 0;

    /// <summary>Bytes of the tables this instance allocated for itself (Toeplitz-like: the η tables), counted from the arrays it holds; 0 for most kinds.</summary>
    internal virtual long TableBytes => 0;

    /// <summary>The FFT plans this instance uses (shared per length, so callers count each distinct plan once).</summary>
    internal virtual IEnumerable<FftPlan> Plans => [];

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
        ValidateWeights(weights);
        SpanGuard.RequireLength(dParameters.Length, ParameterCount, nameof(dParameters));
        dInput = ValidateRows(input, dOutput, batchSize, dInput, workspace);
        BackwardCore(weights, input[..(batchSize * InputSize)], dOutput[..(batchSize * OutputSize)], batchSize, dParameters, dInput, workspace);
    }

    /// <summary>
    /// Floats of state a backward session keeps between its steps when each step has up to <paramref name="rowsPerCall"/>
    /// rows (0 for kinds that defer nothing to <see cref="GateMatrixBackwardSession.Finish"/> in their own memory).
    /// </summary>
    /// <param name="rowsPerCall">The most rows any step of the session will have; at least 1.</param>
    public int BackwardStateSize(int rowsPerCall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerCall, 1);
        return BackwardStateSizeCore(rowsPerCall);
    }

    /// <summary>
    /// Opens a backward pass over several calls of this matrix (for example one per time step): every
    /// <see cref="GateMatrixBackwardSession.Step"/> adds <c>dX += Wᵀ·dY</c> at once and its share of
    /// <c>dθ = Σ ∂⟨dY, W·X⟩/∂θ</c> to <paramref name="parameterGradient"/> at once or by <see cref="GateMatrixBackwardSession.Finish"/>.
    /// </summary>
    /// <param name="weights">Parameters and prepared cache, as used in the forward pass.</param>
    /// <param name="parameterGradient">Gradient of the parameters; added to (complete after Finish).</param>
    /// <param name="rowsPerCall">The most rows any step will have; at least 1.</param>
    /// <param name="state">At least <see cref="BackwardStateSize"/>(<paramref name="rowsPerCall"/>) floats the session owns until
    /// Finish; their content on entry is ignored.</param>
    /// <param name="workspace">At least <see cref="WorkspaceSize"/>(<paramref name="rowsPerCall"/>) floats of scratch.</param>
    /// <param name="passRows">Empty, or the inputs and output gradients of every step's rows, which the caller keeps unchanged
    /// until Finish (a kind may then take <c>dθ</c> once over all of them).</param>
    public GateMatrixBackwardSession BeginBackward(GateMatrixWeights weights, Span<float> parameterGradient, int rowsPerCall, Span<float> state,
        Span<float> workspace, GateMatrixPassRows passRows = default)
    {
        ValidateWeights(weights);
        SpanGuard.RequireLength(parameterGradient.Length, ParameterCount, nameof(parameterGradient));
        int stateSize = BackwardStateSize(rowsPerCall);
        SpanGuard.RequireAtLeast(state.Length, stateSize, nameof(state));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(rowsPerCall), nameof(workspace));
        if (!passRows.IsEmpty)
        {
            int rows = passRows.Inputs.Length / InputSize;
            if (rows * InputSize != passRows.Inputs.Length || passRows.OutputGradients.Length != rows * OutputSize)
            {
                throw new ArgumentException(
                    $"Pass rows must be whole rows of {InputSize} inputs and {OutputSize} output gradients; got {passRows.Inputs.Length} and {passRows.OutputGradients.Length} floats.",
                    nameof(passRows));
            }
        }

        state = state[..stateSize];
        state.Clear();
        return new GateMatrixBackwardSession(this, weights, parameterGradient, rowsPerCall, state, workspace, passRows);
    }

    /// <summary>Whether calls of <paramref name="rows"/> rows could take a cached dense form that a network built without dense forms
    /// lacks (false for kinds that have none).</summary>
    internal virtual bool MayUseDenseForm(long rows) => false;

    /// <summary>
    /// Whether the parameters are the matrix's own entries, m×n row-major in one block (the dense kind): what a streaming pack
    /// copies, what PyTorch stores as <c>weight_*</c> itself rather than as factors, and what needs no check against a stored
    /// dense form on import. False for every structured kind.
    /// </summary>
    internal virtual bool IsDense => false;

    /// <summary>
    /// The m×n row-major matrix W that <see cref="Forward"/> of <paramref name="rows"/> rows multiplies by as one plain GEMM
    /// <c>Y += X·Wᵀ</c> (the dense kind's parameters, or a cached dense form that calls of that many rows use); empty when the
    /// product runs through a structure (factors, FFTs). Batch inference cuts such a product by output rows between cores:
    /// any set of output rows of <c>X·Wᵀ</c> is the same GEMM on the matching rows of W.
    /// </summary>
    /// <param name="weights">Parameters and prepared cache.</param>
    /// <param name="rows">Rows of the call.</param>
    internal virtual ReadOnlySpan<float> ForwardRows(GateMatrixWeights weights, int rows) => [];

    /// <summary>
    /// The matrix a forward-only network (a model's inference network) multiplies with in place of this one: same parameters,
    /// layout and product (to float32 rounding), possibly through a cheaper form that has no backward pass. By default this
    /// matrix; a kind with such a form decides itself when it pays.
    /// </summary>
    internal virtual GateMatrix InferenceForm() => this;

    /// <summary>The text form <c>kind[:key=value]</c> shared by specs and built matrices.</summary>
    internal static string FormatSpecText(string kind, (char Key, int Value)? size)
        => size is (char key, int value) ? string.Create(CultureInfo.InvariantCulture, $"{kind}:{key}={value}") : kind;

    /// <summary>Runs <see cref="BackwardStepCore"/> for a session (which validated the spans).</summary>
    internal void RunBackwardStep(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput)
        => BackwardStepCore(session, input, dOutput, batchSize, dInput);

    /// <summary>Runs <see cref="FinishBackwardCore"/> for a session.</summary>
    internal void RunFinishBackward(in GateMatrixBackwardSession session) => FinishBackwardCore(session);

    /// <summary>The checks of one backward call's rows; returns dInput cut to the batch (or empty).</summary>
    internal Span<float> ValidateRows(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput, ReadOnlySpan<float> workspace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        SpanGuard.RequireAtLeast(input.Length, batchSize * InputSize, nameof(input));
        SpanGuard.RequireAtLeast(dOutput.Length, batchSize * OutputSize, nameof(dOutput));
        SpanGuard.RequireAtLeast(workspace.Length, WorkspaceSizeCore(batchSize), nameof(workspace));
        if (dInput.IsEmpty)
        {
            return dInput;
        }

        SpanGuard.RequireAtLeast(dInput.Length, batchSize * InputSize, nameof(dInput));
        return dInput[..(batchSize * InputSize)];
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

    /// <summary>See <see cref="BackwardStateSize"/>; <paramref name="rowsPerCall"/> is validated.</summary>
    protected abstract int BackwardStateSizeCore(int rowsPerCall);

    /// <summary>
    /// One step of a backward session (<see cref="GateMatrixBackwardSession.Step"/>): complete <paramref name="dInput"/> (may be
    /// empty); the parameter gradient into <see cref="GateMatrixBackwardSession.ParameterGradient"/> now, or into the session's
    /// state (or from its pass rows) by <see cref="FinishBackwardCore"/>. Spans are validated and trimmed. Kinds that defer
    /// nothing run <see cref="BackwardCore"/>.
    /// </summary>
    protected abstract void BackwardStepCore(in GateMatrixBackwardSession session, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
        Span<float> dInput);

    /// <summary>Ends a backward session (<see cref="GateMatrixBackwardSession.Finish"/>): adds whatever the steps deferred to
    /// <see cref="GateMatrixBackwardSession.ParameterGradient"/>. Kinds that defer nothing do nothing.</summary>
    protected abstract void FinishBackwardCore(in GateMatrixBackwardSession session);

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
