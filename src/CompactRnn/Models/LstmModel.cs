using System;
using System.Collections.Generic;
using System.Threading;
using CompactRnn.GateMatrices;
using CompactRnn.Kernels;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// An immutable, ready-to-run network: the structure, a private copy of its parameters and the
/// prepared cache. Thread-safe: any number of <see cref="StreamingSession"/>s and batch runs may use one
/// model at once without locks, since each brings its own state and scratch.
/// </summary>
/// <remarks>Files: <c>model.Save(path)</c> and <c>LstmModel.Load(path)</c> are extension members in
/// <c>CompactRnn.Serialization</c> (<c>LstmModelFile</c>), so the model itself knows nothing of file formats.</remarks>
public sealed partial class LstmModel
{
    private readonly float[] _parameters;
    private readonly float[] _inferenceCache;
    private float[]? _cache;
    private BatchRuntime? _batchRuntime;
    private PackedNetworkWeights? _bfloat16Weights;
    private PackedNetworkWeights? _float32Weights;
    private PackedNetworkWeights? _int8Weights;
    private SequenceInference? _spareInference;
    private PackedSequenceInference? _sparePackedInference;
    private BatchWeightPacks? _batchPacks;

    /// <summary>Copies <paramref name="parameters"/> and prepares the cache.</summary>
    /// <param name="network">The structure.</param>
    /// <param name="parameters">Exactly <see cref="LstmNetwork.ParameterCount"/> floats.</param>
    public LstmModel(LstmNetwork network, ReadOnlySpan<float> parameters)
        : this(network, CopyOf(network, parameters))
    {
    }

    /// <summary>Takes ownership of <paramref name="parameters"/> (no copy) and prepares the cache without Toeplitz-like dense forms.</summary>
    internal LstmModel(LstmNetwork network, float[] parameters)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        SpanGuard.RequireLength(parameters.Length, network.ParameterCount, nameof(parameters));

        // The Toeplitz-like dense forms (m·n floats each) serve only large batches; a model builds them on the
        // first batch call that uses them (see Infer), never at load or for streaming. Streaming and small batches run on
        // the forward-only inference network (circulant forms where they pay, a smaller cache); the trainable network's
        // cache is prepared only when something asks for it (Cache: teachers, activation statistics, PyTorch-style passes).
        Network = network.WithDenseForms(false);
        InferenceNetwork = Network.ForInference();
        _parameters = parameters;
        _inferenceCache = new float[InferenceNetwork.CacheSize];
        InferenceNetwork.Prepare(_parameters, _inferenceCache);
    }

    /// <summary>
    /// The structure. Its Toeplitz-like matrices keep no dense form (the FFT paths; the cache is what
    /// <see cref="NetworkFootprint.CacheFloats"/> bounds); <see cref="Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/> builds a twin with dense forms on
    /// its first call with enough rows to use them.
    /// </summary>
    public LstmNetwork Network { get; }

    /// <summary>The parameters (read-only view of the model's private copy).</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary><see cref="Network"/>'s prepared cache (for passes that may run backward), built on first use.</summary>
    internal ReadOnlySpan<float> Cache => Volatile.Read(ref _cache) ?? BuildCache();

    private float[] BuildCache()
    {
        float[] cache = new float[Network.CacheSize];
        Network.Prepare(_parameters, cache);
        Interlocked.CompareExchange(ref _cache, cache, null);
        return _cache!;
    }

    /// <summary>
    /// The forward-only network that streaming sessions and batch calls without dense forms run: <see cref="Network"/>'s
    /// layout, with short-input Toeplitz-like matrices in their circulant inference form.
    /// </summary>
    internal LstmNetwork InferenceNetwork { get; }

    /// <summary><see cref="InferenceNetwork"/>'s prepared cache.</summary>
    internal ReadOnlySpan<float> InferenceCache => _inferenceCache;

    /// <summary>The streaming packs of the dense matrices at <paramref name="precision"/>, built on first use and shared by all sessions of that precision.</summary>
    internal PackedNetworkWeights PackedWeights(WeightPrecision precision)
        => precision switch
        {
            WeightPrecision.BFloat16 => Volatile.Read(ref _bfloat16Weights) ?? Pack(ref _bfloat16Weights, precision),
            WeightPrecision.Int8 => Volatile.Read(ref _int8Weights) ?? Pack(ref _int8Weights, precision),
            _ => Volatile.Read(ref _float32Weights) ?? Pack(ref _float32Weights, precision),
        };

    /// <summary>Builds the packs at <paramref name="precision"/> into <paramref name="slot"/> (racing first calls may build twice; one wins).</summary>
    private PackedNetworkWeights Pack(ref PackedNetworkWeights? slot, WeightPrecision precision)
    {
        var packed = new PackedNetworkWeights(Network, _parameters, precision);
        return Interlocked.CompareExchange(ref slot, packed, null) ?? packed;
    }

    /// <summary>
    /// What the model holds for batch inference (<see cref="Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/>) now, read from its arrays: parameters, cache,
    /// tables and FFT plans, the Toeplitz-like dense forms once a call with enough rows has built them, and the forward-only
    /// buffers kept from the last call (none before the first). Streaming packs are not counted here
    /// (<see cref="StreamingSession.Memory"/> counts them).
    /// </summary>
    public RuntimeMemory BatchMemory
    {
        get
        {
            var plans = new HashSet<FftPlan>(ReferenceEqualityComparer.Instance);
            long tables = InferenceNetwork.TableBytes(plans) + TrainableCacheTables(plans);
            BatchRuntime? runtime = Volatile.Read(ref _batchRuntime);
            long denseForms = 0;
            if (runtime is not null)
            {
                tables += runtime.Network.TableBytes(plans);
                denseForms = AllocatedBytes.Of(runtime.Cache);
            }

            long buffers = (Volatile.Read(ref _spareInference)?.BufferBytes ?? 0) + (Volatile.Read(ref _sparePackedInference)?.BufferBytes ?? 0);
            long packs = Volatile.Read(ref _batchPacks)?.Bytes ?? 0;
            return new RuntimeMemory(AllocatedBytes.Of(_parameters), CacheBytes, denseForms, tables, packs, buffers);
        }
    }

    /// <summary>The parameter, cache and table bytes every path of this model holds, with the given packs and buffers (see <see cref="StreamingSession.Memory"/>).</summary>
    internal RuntimeMemory StreamingMemory(long packBytes, long bufferBytes)
    {
        var plans = new HashSet<FftPlan>(ReferenceEqualityComparer.Instance);
        return new(AllocatedBytes.Of(_parameters), CacheBytes, 0, InferenceNetwork.TableBytes(plans) + TrainableCacheTables(plans), packBytes, bufferBytes);
    }

    /// <summary>The inference cache, and the trainable network's cache once something has built it.</summary>
    private long CacheBytes => AllocatedBytes.Of(_inferenceCache, Volatile.Read(ref _cache) ?? []);

    /// <summary>The trainable network's own tables and plans (its η tables exist only once something ran its skew path).</summary>
    private long TrainableCacheTables(HashSet<FftPlan> plans) => ReferenceEquals(Network, InferenceNetwork) ? 0 : Network.TableBytes(plans);

    /// <summary>
    /// Bytes of the model's weights stored at <paramref name="precision"/>: float32, 4 bytes per parameter; bf16 or int8,
    /// the packs of the dense gate, projection and output matrices at that precision, and of the compact matrices packed
    /// in their dense form (<see cref="CreateSession(WeightPrecision)"/>; their bytes as allocated, row scales and padding
    /// included; built if not yet), plus 4 bytes per remaining parameter (other compact matrices, biases, peepholes).
    /// </summary>
    /// <param name="precision">The storage.</param>
    public long WeightBytes(WeightPrecision precision)
    {
        if (!Enum.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Expected {WeightPrecision.Float32}, {WeightPrecision.BFloat16} or {WeightPrecision.Int8}.");
        }

        if (precision == WeightPrecision.Float32)
        {
            return 4L * _parameters.Length;
        }

        long packed = Network.OutputMatrix?.ParameterCount ?? 0;
        foreach (LstmLayer layer in Network.Layers)
        {
            foreach (GateMatrix? matrix in new[] { layer.InputMatrix, layer.RecurrentMatrix, layer.ProjectionMatrix })
            {
                packed += matrix is not null && PackedLayerWeights.Packs(matrix, precision) ? matrix.ParameterCount : 0;
            }
        }

        return PackedWeights(precision).Bytes + (4L * (_parameters.Length - packed));
    }

    /// <summary>Builds a network from options and draws its initial parameters from <paramref name="seed"/>.</summary>
    public static LstmModel CreateInitialized(LstmNetworkOptions options, int seed)
    {
        var network = new LstmNetwork(options);
        float[] parameters = new float[network.ParameterCount];
        network.Initialize(parameters, seed);
        return new LstmModel(network, parameters);
    }

    /// <summary>
    /// Starts a new stream with zero state for frame-by-frame inference, with float32 weights. When some layer's
    /// W_x and W_r are both dense, the first such session packs every dense matrix of the model once into
    /// float32 streaming form ([W_x | W_r] side by side in row groups of four, so a step reads one sequential
    /// stream against [x_t; r_{t−1}]); the pack is kept with the model and shared by all its sessions. It
    /// costs about the float32 size of those matrices again (4 bytes per dense weight, plus padding of at
    /// most three rows and one column block per matrix): a dense 1-layer LSTM with 512 cells and 40 inputs has
    /// 2048 × 552 gate weights (4.5 MB), packed with padding to 552 → 560 or 576 columns, 4.6–4.7 MB. A network
    /// without such a layer keeps the batch code path and no copy. Results equal the batch path up to float32
    /// summation order.
    /// </summary>
    public StreamingSession CreateSession() => new(this, WeightPrecision.Float32);

    /// <summary>
    /// Starts a new stream with zero state, storing the streamed weights at <paramref name="precision"/>.
    /// <see cref="WeightPrecision.BFloat16"/> rounds every dense gate, projection and output matrix to bf16
    /// once per model (the first such session packs them, about half the float32 size, kept with the model);
    /// a batch-1 step of a large dense model is bound by memory bandwidth, so it runs up to about twice as
    /// fast. Each rounded weight has a relative error ≤ 2⁻⁸, so a pre-activation
    /// <c>a_i = Σ_p W_ip x_p</c> moves by at most <c>2⁻⁸·Σ_p |W_ip|·|x_p|</c> per step before propagation.
    /// <see cref="WeightPrecision.Int8"/> quantizes the same matrices to int8 with a float32 scale per row (a quarter
    /// of the float32 bytes) and runs each product as an integer dot product against its input rounded to 7 bits
    /// (step σ = (max_p x_p − min_p x_p)/127): each weight moves by at most half its row's scale
    /// s_i = max_p |W_ip| / 127 and each input by at most about σ/2, so
    /// <c>|Δa_i| ≤ (s_i/2)·Σ_p |x_p| + s_i·(σ/2)(1 + 10⁻⁴)·Σ_p |q_ip|</c> per step before propagation, plus float32 rounding
    /// (docs/math.md §15). At both reduced precisions, a compact matrix whose dense form at that precision takes no more
    /// bytes than its float32 parameters (m·n ≤ 4·parameters at int8, 2·m·n ≤ 4·parameters at bf16) is packed and rounded
    /// as that dense form, with the same bounds; every other compact matrix keeps its float32 product.
    /// </summary>
    /// <param name="precision">The weight storage; <see cref="WeightPrecision.Float32"/> is exact.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is not a defined value.</exception>
    public StreamingSession CreateSession(WeightPrecision precision)
    {
        if (!Enum.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Expected {WeightPrecision.Float32}, {WeightPrecision.BFloat16} or {WeightPrecision.Int8}.");
        }

        return new StreamingSession(this, precision);
    }

    /// <summary>The network with Toeplitz-like dense forms and its prepared cache, built on first use and then shared.</summary>
    private (LstmNetwork Network, float[] Cache) DenseFormRuntime()
    {
        BatchRuntime runtime = LazyInitializer.EnsureInitialized(ref _batchRuntime, () =>
        {
            LstmNetwork network = Network.WithDenseForms(true);
            float[] cache = new float[network.CacheSize];
            network.Prepare(_parameters, cache);
            return new BatchRuntime(network, cache);
        });
        return (runtime.Network, runtime.Cache);
    }

    private static float[] CopyOf(LstmNetwork network, ReadOnlySpan<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (parameters.Length != network.ParameterCount)
        {
            throw new ArgumentException($"Expected exactly {network.ParameterCount} floats but got {parameters.Length}.", nameof(parameters));
        }

        return parameters.ToArray();
    }

    private sealed record BatchRuntime(LstmNetwork Network, float[] Cache);
}
