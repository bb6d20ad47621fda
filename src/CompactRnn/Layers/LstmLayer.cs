using System;
using System.Collections.Generic;
using CompactRnn.GateMatrices;
using CompactRnn.Parameters;

namespace CompactRnn.Layers;

/// <summary>
/// One LSTM/LSTMP layer with pluggable gate matrices (docs/math.md §2). With a = W_x x_t + W_r r_{t−1} + b
/// split as [a_i, a_f, a_g, a_o] (PyTorch's gate order):
/// <code>
/// i_t = σ(a_i + p_i ⊙ c_{t−1})        f_t = σ(a_f + p_f ⊙ c_{t−1})        g_t = tanh(a_g)
/// ĉ_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t      c_t = clip(ĉ_t, κ_c)
/// o_t = σ(a_o + p_o ⊙ c_t)             m_t = o_t ⊙ tanh(c_t)
/// r̂_t = W_p m_t                        r_t = clip(r̂_t, κ_r)        (without projection r_t = m_t)
/// </code>
/// The layer holds no state and no parameters: the caller passes its parameter and cache slices
/// and owns the <see cref="LstmLayerTape"/>, so one layer object serves any number of threads.
/// </summary>
/// <remarks>
/// Parameter layout (relative to the layer's slice): <c>Wx.*</c> (W_x, 4n_c × n_in), <c>Wr.*</c>
/// (W_r, 4n_c × n_r), <c>b</c> (4n_c, one bias per gate row), <c>peepholes</c> (3n_c: p_i, p_f, p_o,
/// only when enabled), <c>Wp.*</c> (W_p, n_r × n_c, only with a projection).
/// </remarks>
public sealed partial class LstmLayer
{
    private readonly ParameterBlock[] _blocks;
    private readonly int _inputOffset, _recurrentOffset, _biasOffset, _peepholeOffset, _projectionOffset;
    private readonly int _inputCacheOffset, _recurrentCacheOffset, _projectionCacheOffset;

    /// <summary>Builds the layer's matrices and parameter layout.</summary>
    /// <param name="inputSize">n_in, the size of x_t; at least 1.</param>
    /// <param name="options">The layer configuration; validated.</param>
    public LstmLayer(int inputSize, LstmLayerOptions options)
        : this(inputSize, options, denseForms: true)
    {
    }

    /// <summary>Builds the layer; without <paramref name="denseForms"/> its Toeplitz-like matrices keep no dense form (a lean cache for streaming and loading).</summary>
    internal LstmLayer(int inputSize, LstmLayerOptions options, bool denseForms)
        : this(inputSize, options, denseForms, forwardOnly: false)
    {
    }

    /// <summary>
    /// Builds the layer; with <paramref name="forwardOnly"/> (a model (LstmModel)'s inference network, no dense forms) W_x and
    /// W_r take their kind's inference form (<see cref="GateMatrix.InferenceForm"/>; Toeplitz-like with a short input: the
    /// circulant form): same parameters, for Toeplitz-like fewer FFTs and a smaller cache, no backward pass.
    /// </summary>
    internal LstmLayer(int inputSize, LstmLayerOptions options, bool denseForms, bool forwardOnly)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        options.Validate();
        Options = options;
        InputSize = inputSize;
        HiddenSize = options.HiddenSize;
        OutputSize = options.OutputSize;
        InputMatrix = options.Input.Build(4 * HiddenSize, inputSize, gateCount: 4, denseForms, options.Init);
        RecurrentMatrix = options.Recurrent.Build(4 * HiddenSize, OutputSize, gateCount: 4, denseForms, options.Init);
        if (forwardOnly)
        {
            InputMatrix = InputMatrix.InferenceForm();
            RecurrentMatrix = RecurrentMatrix.InferenceForm();
        }

        ProjectionMatrix = options.ProjectionSize <= 0 ? null : options.Projection.BuildProjection(OutputSize, HiddenSize, denseForms, options.Init);

        var blocks = new List<ParameterBlock>();
        int offset = 0;
        _inputOffset = Append(blocks, InputMatrix, "Wx.", ref offset);
        _recurrentOffset = Append(blocks, RecurrentMatrix, "Wr.", ref offset);
        _biasOffset = offset;
        blocks.Add(new ParameterBlock("b", offset, 4, HiddenSize));
        offset = checked(offset + (4 * HiddenSize));
        _peepholeOffset = offset;
        if (options.Peepholes)
        {
            blocks.Add(new ParameterBlock("peepholes", offset, 3, HiddenSize));
            offset = checked(offset + (3 * HiddenSize));
        }

        _projectionOffset = ProjectionMatrix is null ? offset : Append(blocks, ProjectionMatrix, "Wp.", ref offset);
        ParameterCount = offset;
        _blocks = [.. blocks];

        _inputCacheOffset = 0;
        _recurrentCacheOffset = InputMatrix.CacheSize;
        _projectionCacheOffset = checked(_recurrentCacheOffset + RecurrentMatrix.CacheSize);
        CacheSize = checked(_projectionCacheOffset + (ProjectionMatrix?.CacheSize ?? 0));
    }

    /// <summary>The configuration this layer was built from.</summary>
    public LstmLayerOptions Options { get; }

    /// <summary>n_in.</summary>
    public int InputSize { get; }

    /// <summary>n_c.</summary>
    public int HiddenSize { get; }

    /// <summary>n_r: the size of r_t (the projection size, or n_c without projection).</summary>
    public int OutputSize { get; }

    /// <summary>Whether r_t = clip(W_p m_t) rather than m_t.</summary>
    public bool HasProjection => ProjectionMatrix is not null;

    /// <summary>W_x, 4n_c × n_in.</summary>
    public GateMatrix InputMatrix { get; }

    /// <summary>W_r, 4n_c × n_r.</summary>
    public GateMatrix RecurrentMatrix { get; }

    /// <summary>W_p, n_r × n_c, or null without projection.</summary>
    public GateMatrix? ProjectionMatrix { get; }

    /// <summary>The exact number of trainable floats of the layer.</summary>
    public int ParameterCount { get; }

    /// <summary>Named views into the layer's parameter slice, in storage order.</summary>
    public IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <summary>Floats of parameter-derived cache (Toeplitz-like spectra) for all matrices of the layer.</summary>
    public int CacheSize { get; }

    /// <summary>The floats of dense-equivalent parameters of the same sizes (for compression reports).</summary>
    public long DenseParameterCount
        => (4L * HiddenSize * (InputSize + OutputSize)) + (4L * HiddenSize) + (Options.Peepholes ? 3L * HiddenSize : 0)
            + (HasProjection ? (long)OutputSize * HiddenSize : 0);

    /// <summary>Scratch floats needed for <paramref name="maxSteps"/> steps of <paramref name="batchSize"/> rows.</summary>
    public int WorkspaceSize(int maxSteps, int batchSize)
        => Math.Max(InputMatrix.WorkspaceSize(maxSteps * batchSize),
            Math.Max(RecurrentMatrix.WorkspaceSize(batchSize), ProjectionMatrix?.WorkspaceSize(batchSize) ?? 0));

    /// <summary>Draws initial parameters: each matrix by its documented rule, biases 0 except the
    /// forget gate's <see cref="LstmLayerOptions.ForgetBias"/>, peepholes 0.</summary>
    public void Initialize(Span<float> parameters, Random random)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        InputMatrix.Initialize(parameters.Slice(_inputOffset, InputMatrix.ParameterCount), random);
        RecurrentMatrix.Initialize(parameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount), random);
        Span<float> bias = parameters.Slice(_biasOffset, 4 * HiddenSize);
        bias.Clear();
        bias.Slice(HiddenSize, HiddenSize).Fill(Options.ForgetBias);
        if (Options.Peepholes)
        {
            parameters.Slice(_peepholeOffset, 3 * HiddenSize).Clear();
        }

        ProjectionMatrix?.Initialize(parameters.Slice(_projectionOffset, ProjectionMatrix.ParameterCount), random);
    }

    /// <summary>Refreshes the cache of every matrix; call after each change of the parameters.</summary>
    public void Prepare(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireLength(cache.Length, CacheSize, nameof(cache));
        InputMatrix.Prepare(InputParameters(parameters), cache.Slice(_inputCacheOffset, InputMatrix.CacheSize));
        RecurrentMatrix.Prepare(RecurrentParameters(parameters), cache.Slice(_recurrentCacheOffset, RecurrentMatrix.CacheSize));
        ProjectionMatrix?.Prepare(ProjectionParameters(parameters), cache.Slice(_projectionCacheOffset, ProjectionMatrix.CacheSize));
    }

    internal GateMatrixWeights InputWeights(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache)
        => new(InputParameters(parameters), cache.Slice(_inputCacheOffset, InputMatrix.CacheSize));

    internal GateMatrixWeights RecurrentWeights(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache)
        => new(RecurrentParameters(parameters), cache.Slice(_recurrentCacheOffset, RecurrentMatrix.CacheSize));

    internal GateMatrixWeights ProjectionWeights(ReadOnlySpan<float> parameters, ReadOnlySpan<float> cache)
        => new(ProjectionParameters(parameters), cache.Slice(_projectionCacheOffset, ProjectionMatrix!.CacheSize));

    internal ReadOnlySpan<float> InputParameters(ReadOnlySpan<float> parameters) => parameters.Slice(_inputOffset, InputMatrix.ParameterCount);

    internal ReadOnlySpan<float> RecurrentParameters(ReadOnlySpan<float> parameters) => parameters.Slice(_recurrentOffset, RecurrentMatrix.ParameterCount);

    internal ReadOnlySpan<float> ProjectionParameters(ReadOnlySpan<float> parameters) => parameters.Slice(_projectionOffset, ProjectionMatrix!.ParameterCount);

    internal ReadOnlySpan<float> Bias(ReadOnlySpan<float> parameters) => parameters.Slice(_biasOffset, 4 * HiddenSize);

    internal ReadOnlySpan<float> Peepholes(ReadOnlySpan<float> parameters)
        => Options.Peepholes ? parameters.Slice(_peepholeOffset, 3 * HiddenSize) : [];

    private static int Append(List<ParameterBlock> blocks, GateMatrix matrix, string prefix, ref int offset)
    {
        int start = offset;
        foreach (ParameterBlock block in matrix.ParameterBlocks)
        {
            blocks.Add(block.Shift(start, prefix));
        }

        offset = checked(offset + matrix.ParameterCount);
        return start;
    }
}
