using System;
using System.Globalization;
using CompactRnn.GateMatrices;

namespace CompactRnn.Layers;

/// <summary>
/// Which <see cref="GateMatrix"/> kind to build for one matrix of a layer, with its size parameter: one sealed
/// record per kind (<see cref="DenseGateMatrixSpec"/>, <see cref="LowRankGateMatrixSpec"/>,
/// <see cref="PerGateLowRankGateMatrixSpec"/>, <see cref="ToeplitzLikeGateMatrixSpec"/>,
/// <see cref="StackedToeplitzLikeGateMatrixSpec"/>, and <see cref="SharedLowRankGateMatrixSpec"/> for a layer's
/// projection), each with its closed-form parameter count and its text form.
/// </summary>
/// <remarks>
/// The text form <c>kind[:key=value]</c> (<c>dense</c>, <c>lowrank:k=16</c>, <c>toeplitz:r=4</c>) is for the edges
/// only (command lines, model files): <see cref="Parse"/> reads it and <see cref="ToString"/> writes it, and
/// <c>Parse(spec.ToString()) == spec</c> for every spec.
/// </remarks>
public abstract record GateMatrixSpec
{
    // The hierarchy is closed: every kind is one of the records in this folder, so a switch over them is total.
    private protected GateMatrixSpec()
    {
    }

    /// <summary>The dense kind.</summary>
    public static DenseGateMatrixSpec Dense { get; } = new();

    /// <summary>The kind's name in text form, e.g. <c>toeplitz</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Whether the built matrix is a plain dense m×n matrix (its parameters are its entries): dense, and a shared-lowrank projection P.</summary>
    public bool BuildsDense => this is DenseGateMatrixSpec or SharedLowRankGateMatrixSpec;

    /// <summary>The key of the size parameter in text form (<c>k</c> for ranks, <c>r</c> for displacement ranks), or null for dense.</summary>
    internal abstract char? SizeKey { get; }

    /// <summary>The size parameter (k or r); 0 for dense.</summary>
    internal abstract int Size { get; }

    /// <summary>
    /// The spec this one builds for an m×n matrix: the rank clamped to what the shape can use (low-rank: min(m, n),
    /// per gate min(m/gates, n); <c>toeplitz</c>: max(m, n), the embedding's side; <c>toeplitz-stacked</c>: min(m, n)),
    /// so one spec serves layers of different sizes while what is printed is what is built.
    /// </summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows (4 for LSTM gate matrices, 1 otherwise).</param>
    public GateMatrixSpec Effective(int outputSize, int inputSize, int gateCount)
    {
        int size = EffectiveSize(outputSize, inputSize, gateCount);
        return size == Size ? this : WithSize(size);
    }

    /// <summary>Builds the matrix for an m×n shape.</summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows (4 for LSTM gate matrices, 1 otherwise).</param>
    public GateMatrix Build(int outputSize, int inputSize, int gateCount) => Build(outputSize, inputSize, gateCount, denseForm: true);

    /// <summary>
    /// The trainable floats of the matrix <see cref="Build(int, int, int)"/> makes for an m×n shape, in closed form
    /// (nothing is built): equal to that matrix's <see cref="GateMatrix.ParameterCount"/>.
    /// </summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows.</param>
    public long ParameterCount(int outputSize, int inputSize, int gateCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gateCount, 1);
        return Footprint(outputSize, inputSize, gateCount).ParameterCount;
    }

    /// <summary>The text form, e.g. <c>dense</c>, <c>lowrank:k=16</c>, <c>toeplitz:r=4</c>.</summary>
    public sealed override string ToString()
        => GateMatrix.FormatSpecText(Kind, SizeKey is char key ? (key, Size) : null);

    /// <summary>Reads the text form written by <see cref="ToString"/>.</summary>
    /// <param name="text">E.g. <c>toeplitz:r=4</c>.</param>
    /// <exception cref="ArgumentException">Unknown kind, a missing or unknown key, or a size outside [1, 2²⁰]; the message quotes the text.</exception>
    public static GateMatrixSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        if (colon < 0)
        {
            return kind == DenseGateMatrixSpec.Name ? Dense
                : throw new ArgumentException($"'{text}' needs its size, e.g. '{kind}:k=16' or '{kind}:r=4' (known kinds: {KnownKinds}).", nameof(text));
        }

        string[] pair = text[(colon + 1)..].Split('=');
        if (pair.Length != 2 || pair[0].Length != 1 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            throw new ArgumentException($"Cannot read '{text}': expected 'kind:key=value' with a whole number.", nameof(text));
        }

        GateMatrixSpec spec = Create(kind, size, nameof(text));
        return spec.SizeKey == pair[0][0] ? spec
            : throw new ArgumentException(spec.SizeKey is char key ? $"'{text}': the size of {kind} is '{key}=', not '{pair[0]}='." : $"'{text}': {kind} takes no size.", nameof(text));
    }

    /// <summary>The spec of <paramref name="kind"/> with size parameter <paramref name="size"/> (ignored for dense).</summary>
    /// <exception cref="ArgumentException">Unknown kind or a size outside [1, 2²⁰], naming <paramref name="parameterName"/>.</exception>
    internal static GateMatrixSpec Create(string kind, int size, string parameterName)
    {
        try
        {
            return kind switch
            {
                DenseGateMatrixSpec.Name => Dense,
                LowRankGateMatrixSpec.Name => new LowRankGateMatrixSpec(size),
                PerGateLowRankGateMatrixSpec.Name => new PerGateLowRankGateMatrixSpec(size),
                ToeplitzLikeGateMatrixSpec.Name => new ToeplitzLikeGateMatrixSpec(size),
                StackedToeplitzLikeGateMatrixSpec.Name => new StackedToeplitzLikeGateMatrixSpec(size),
                SharedLowRankGateMatrixSpec.Name => new SharedLowRankGateMatrixSpec(size),
                _ => throw new ArgumentException($"Unknown gate-matrix kind '{kind}'; expected {KnownKinds}.", parameterName),
            };
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentOutOfRangeException(parameterName, size, $"The size of '{kind}' must be in [1, {LstmLayerOptions.MaxSize}]: {error.Message}");
        }
    }

    /// <summary>The size parameter the m×n matrix is built with (the single clamp <see cref="Build(int, int, int)"/>, the footprint and <see cref="Effective"/> use).</summary>
    internal abstract int EffectiveSize(long outputSize, long inputSize, long gateCount);

    /// <summary>The same kind with another size parameter.</summary>
    private protected abstract GateMatrixSpec WithSize(int size);

    /// <summary>Builds the matrix; without <paramref name="denseForm"/>, Toeplitz-like kinds keep no dense m×n form in their cache (FFT paths only).</summary>
    /// <param name="outputSize">m.</param>
    /// <param name="inputSize">n.</param>
    /// <param name="gateCount">Number of gate blocks stacked in the rows.</param>
    /// <param name="denseForm">Whether Toeplitz-like kinds cache their dense form.</param>
    /// <param name="init">How the structured kinds draw their parameters (<see cref="LstmLayerOptions.Init"/>); dense gate matrices ignore it.</param>
    internal abstract GateMatrix Build(int outputSize, int inputSize, int gateCount, bool denseForm, GateMatrixInit init = GateMatrixInit.VariancePreserving);

    /// <summary>
    /// Builds the matrix as a layer's projection W_p (m = n_r rows, n = n_c columns, one gate block). W_p is a factor even when
    /// dense (the shared right factor of W_r·W_p, docs/math.md §5 scheme C, §9), so every kind, the dense one included, draws it
    /// by the layer's scheme <paramref name="init"/>.
    /// </summary>
    /// <param name="outputSize">m = n_r.</param>
    /// <param name="inputSize">n = n_c.</param>
    /// <param name="denseForm">Whether Toeplitz-like kinds cache their dense form.</param>
    /// <param name="init">The layer's scheme (<see cref="LstmLayerOptions.Init"/>).</param>
    internal virtual GateMatrix BuildProjection(int outputSize, int inputSize, bool denseForm, GateMatrixInit init)
        => Build(outputSize, inputSize, gateCount: 1, denseForm, init);

    /// <summary>What the m×n matrix of this kind costs, in closed form with checked 64-bit arithmetic.</summary>
    internal abstract GateMatrixFootprint Footprint(long outputSize, long inputSize, long gateCount);

    /// <summary>Throws unless <paramref name="size"/> is a valid rank, in [1, 2²⁰].</summary>
    private protected static int RequireSize(int size, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, parameterName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, LstmLayerOptions.MaxSize, parameterName);
        return size;
    }

    /// <summary>The kinds' names, for messages.</summary>
    internal const string KnownKinds = "dense, lowrank, lowrank-pergate, toeplitz, toeplitz-stacked or shared-lowrank";
}
