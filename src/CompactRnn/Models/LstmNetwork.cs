using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Layers;
using CompactRnn.Parameters;

namespace CompactRnn.Models;

/// <summary>
/// A stack of <see cref="LstmLayer"/>s with an optional affine output layer
/// <c>z = W_out r^L + b_out</c> (logits; the softmax belongs to the loss). Immutable: parameters,
/// cache, tapes and states are the caller's, so one network serves many threads.
/// </summary>
/// <remarks>
/// <para>Layer l ≥ 1 reads layer l−1's r_t. With a projection, r_t = W_p m_t is the shared right
/// factor of docs/math.md §5 scheme C: layer l's recurrence, layer l+1's input matrix and the output layer
/// all read the one projected vector, computed once per step, and their gradients add up in
/// ∂L/∂r_t before one backward pass through W_p. The producing layer owns W_p.</para>
/// <para>Parameter layout: layer 0's slice, layer 1's, …, then <c>output.W</c> (classes × n_r) and
/// <c>output.b</c>; block names are prefixed <c>layers.{l}.</c>.</para>
/// </remarks>
public sealed partial class LstmNetwork
{
    private readonly int[] _layerOffsets;
    private readonly int[] _layerCacheOffsets;
    private readonly ParameterBlock[] _blocks;
    private readonly int _outputOffset;

    /// <summary>Builds the layers and the parameter layout.</summary>
    /// <param name="options">The configuration; validated (<see cref="LstmNetworkOptions.Validate"/>: limits and checked sizes).</param>
    public LstmNetwork(LstmNetworkOptions options)
        : this(options, denseForms: true)
    {
    }

    /// <summary>
    /// Builds the network; without <paramref name="denseForms"/> its Toeplitz-like matrices keep no dense m×n form
    /// in the cache and always run their FFT paths (what an <see cref="LstmModel"/> prepares at load and for streaming).
    /// </summary>
    internal LstmNetwork(LstmNetworkOptions options, bool denseForms)
        : this(options, denseForms, forwardOnly: false)
    {
    }

    /// <summary>
    /// Builds the network; with <paramref name="forwardOnly"/> (and no dense forms) short-input Toeplitz-like matrices take
    /// their circulant inference form (<see cref="CirculantToeplitzLikeGateMatrix"/>): an <see cref="LstmModel"/>'s
    /// inference network, same parameter layout, no backward pass.
    /// </summary>
    internal LstmNetwork(LstmNetworkOptions options, bool denseForms, bool forwardOnly)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        HasDenseForms = denseForms;
        IsForwardOnly = forwardOnly && !denseForms;
        var layers = new LstmLayer[options.Layers.Count];
        _layerOffsets = new int[layers.Length];
        _layerCacheOffsets = new int[layers.Length];
        var blocks = new List<ParameterBlock>();
        int offset = 0, cacheOffset = 0, inputSize = options.InputSize;
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new LstmLayer(inputSize, options.Layers[l], denseForms, forwardOnly && !denseForms);
            _layerOffsets[l] = offset;
            _layerCacheOffsets[l] = cacheOffset;
            string prefix = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"layers.{l}.");
            blocks.AddRange(layers[l].ParameterBlocks.Select(b => b.Shift(offset, prefix)));
            offset = checked(offset + layers[l].ParameterCount);
            cacheOffset = checked(cacheOffset + layers[l].CacheSize);
            inputSize = layers[l].OutputSize;
        }

        Layers = layers;
        _outputOffset = offset;
        if (options.OutputSize > 0)
        {
            OutputMatrix = new DenseGateMatrix(options.OutputSize, inputSize);
            blocks.Add(new ParameterBlock("output.W", offset, options.OutputSize, inputSize));
            offset = checked(offset + OutputMatrix.ParameterCount);
            blocks.Add(new ParameterBlock("output.b", offset, 1, options.OutputSize));
            offset = checked(offset + options.OutputSize);
        }

        ParameterCount = offset;
        CacheSize = cacheOffset;
        _blocks = [.. blocks];
    }

    /// <summary>Whether Toeplitz-like matrices keep their dense forms in the cache (true for networks built with the public constructor).</summary>
    internal bool HasDenseForms { get; }

    /// <summary>Whether this is an inference network whose short-input Toeplitz-like matrices take the forward-only circulant form.</summary>
    internal bool IsForwardOnly { get; }

    /// <summary>This network's twin with the other dense-form choice (same options, same parameter layout).</summary>
    internal LstmNetwork WithDenseForms(bool denseForms) => denseForms == HasDenseForms && !IsForwardOnly ? this : new LstmNetwork(Options, denseForms);

    /// <summary>The forward-only inference twin (same options and parameter layout, no dense forms, circulant forms where they pay).</summary>
    internal LstmNetwork ForInference() => IsForwardOnly ? this : new LstmNetwork(Options, denseForms: false, forwardOnly: true);

    /// <summary>Whether some matrix could take a cached dense form (<see cref="GateMatrix.MayUseDenseForm"/>) for calls of up to <paramref name="rows"/> rows.</summary>
    internal bool MayUseDenseForms(long rows)
    {
        // Indexed, with no array of the three matrices: every batch inference call asks, and such a call allocates nothing.
        for (int l = 0; l < Layers.Count; l++)
        {
            LstmLayer layer = Layers[l];
            if (layer.InputMatrix.MayUseDenseForm(rows) || layer.RecurrentMatrix.MayUseDenseForm(rows) || (layer.ProjectionMatrix?.MayUseDenseForm(rows) ?? false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Bytes of the tables the gate matrices allocated for themselves, plus every FFT plan they use that is not yet in
    /// <paramref name="plans"/> (added to it, with Bluestein's inner plans), so plans shared between matrices and
    /// networks are counted once.
    /// </summary>
    internal long TableBytes(HashSet<FftPlan> plans)
    {
        long bytes = 0;
        foreach (LstmLayer layer in Layers)
        {
            foreach (GateMatrix? matrix in new[] { layer.InputMatrix, layer.RecurrentMatrix, layer.ProjectionMatrix })
            {
                if (matrix is null)
                {
                    continue;
                }

                bytes += matrix.TableBytes;
                foreach (FftPlan plan in matrix.Plans)
                {
                    for (FftPlan? p = plan; p is not null && plans.Add(p); p = p.Inner)
                    {
                        bytes += p.Bytes;
                    }
                }
            }
        }

        return bytes;
    }

    /// <summary>The configuration the network was built from.</summary>
    public LstmNetworkOptions Options { get; }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<LstmLayer> Layers { get; }

    /// <summary>W_out (classes × n_r of the top layer), or null without an output layer.</summary>
    public DenseGateMatrix? OutputMatrix { get; }

    /// <summary>The size of each output row: the class count, or the top layer's n_r without an output layer.</summary>
    public int OutputSize => OutputMatrix?.OutputSize ?? Layers[^1].OutputSize;

    /// <summary>The exact number of trainable floats.</summary>
    public int ParameterCount { get; }

    /// <summary>Floats of parameter-derived cache (see <see cref="Prepare"/>).</summary>
    public int CacheSize { get; }

    /// <summary>Named views into the flat parameter buffer, in storage order.</summary>
    public IReadOnlyList<ParameterBlock> ParameterBlocks => _blocks;

    /// <summary>The parameter count of the same sizes with every gate matrix dense (the compression baseline).</summary>
    public long DenseParameterCount
        => Layers.Sum(l => l.DenseParameterCount) + (ParameterCount - _outputOffset);

    /// <summary>Layer <paramref name="index"/>'s slice of a flat parameter (or gradient) buffer.</summary>
    public Span<float> LayerParameters(Span<float> parameters, int index) => parameters.Slice(_layerOffsets[index], Layers[index].ParameterCount);

    /// <summary>Layer <paramref name="index"/>'s slice of a flat parameter buffer.</summary>
    public ReadOnlySpan<float> LayerParameters(ReadOnlySpan<float> parameters, int index) => parameters.Slice(_layerOffsets[index], Layers[index].ParameterCount);

    /// <summary>W_out (classes × n_r) within a flat parameter buffer; empty without an output layer.</summary>
    internal ReadOnlySpan<float> OutputWeights(ReadOnlySpan<float> parameters)
        => OutputMatrix is null ? [] : parameters.Slice(_outputOffset, OutputMatrix.ParameterCount);

    /// <summary>b_out within a flat parameter buffer; empty without an output layer.</summary>
    internal ReadOnlySpan<float> OutputBias(ReadOnlySpan<float> parameters)
        => OutputMatrix is null ? [] : parameters.Slice(_outputOffset + OutputMatrix.ParameterCount, OutputSize);

    /// <summary>Layer <paramref name="index"/>'s slice of the cache.</summary>
    public ReadOnlySpan<float> LayerCache(ReadOnlySpan<float> cache, int index) => cache.Slice(_layerCacheOffsets[index], Layers[index].CacheSize);

    /// <summary>Draws initial parameters from a seed (each layer by its documented rule; output layer
    /// <c>U(−1/√n, 1/√n)</c> weights and zero biases).</summary>
    /// <param name="parameters">Destination of <see cref="ParameterCount"/> floats, overwritten.</param>
    /// <param name="seed">The seed; the same seed gives the same parameters.</param>
    public void Initialize(Span<float> parameters, int seed)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        var random = new Random(seed);
        for (int l = 0; l < Layers.Count; l++)
        {
            Layers[l].Initialize(LayerParameters(parameters, l), random);
        }

        if (OutputMatrix is not null)
        {
            OutputMatrix.Initialize(parameters.Slice(_outputOffset, OutputMatrix.ParameterCount), random);
            parameters.Slice(_outputOffset + OutputMatrix.ParameterCount, OutputSize).Clear();
        }
    }

    /// <summary>Refreshes the cache from the parameters; call once after every parameter update.</summary>
    public void Prepare(ReadOnlySpan<float> parameters, Span<float> cache)
    {
        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters));
        SpanGuard.RequireLength(cache.Length, CacheSize, nameof(cache));
        for (int l = 0; l < Layers.Count; l++)
        {
            Layers[l].Prepare(LayerParameters(parameters, l), cache.Slice(_layerCacheOffsets[l], Layers[l].CacheSize));
        }
    }

    /// <summary>Allocates a tape for passes of up to <paramref name="maxSteps"/> steps of <paramref name="batchSize"/> sequences.</summary>
    /// <param name="maxSteps">The longest sequence; at least 1.</param>
    /// <param name="batchSize">Sequences per pass; at least 1.</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    public LstmNetworkTape CreateTape(int maxSteps, int batchSize, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new LstmNetworkTape(this, maxSteps, batchSize, seed);
    }
}
