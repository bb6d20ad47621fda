using System;
using CompactRnn.Layers;

namespace CompactRnn.Models;

/// <summary>
/// What a network of given options costs, computed from the options alone with checked 64-bit arithmetic,
/// before anything is built: the exact parameter count and upper bounds on the prepared cache and on the
/// working arrays its matrices allocate (FFT plans and twiddles). A model load compares these with the
/// file and with its budget (<c>ModelLoadOptions.MaxBytes</c>) before allocating, and
/// <see cref="LstmNetworkOptions.Validate"/> rejects options whose sizes do not fit in an array.
/// </summary>
/// <param name="ParameterCount">Exactly <see cref="LstmNetwork.ParameterCount"/>.</param>
/// <param name="CacheFloats">An upper bound on the cache of a network without Toeplitz-like dense forms (what a loaded <see cref="LstmModel"/> prepares).</param>
/// <param name="DenseFormFloats">The extra cache of the Toeplitz-like dense forms (m·n floats per such matrix plus write scratch), built only by batch paths that use them.</param>
/// <param name="WorkingFloats">An upper bound on the floats the matrices allocate for themselves (FFT plans, twiddles, η tables).</param>
public sealed record NetworkFootprint(long ParameterCount, long CacheFloats, long DenseFormFloats, long WorkingFloats)
{
    /// <summary>FFT plan and twiddle floats per transform length N, an upper bound (Bluestein's padded length is below 4N).</summary>
    internal const long PlanFloatsPerLength = 96;

    /// <summary>FFT scratch floats per transform length N, an upper bound (2N for a power of two, 4·(padded length) for Bluestein).</summary>
    internal const long ScratchFloatsPerLength = 16;

    /// <summary>
    /// Bytes a load holds: the parameters once (the model keeps the array it read), the cache without dense
    /// forms, and the working arrays; 4 bytes per float.
    /// </summary>
    public long LoadBytes => checked(4 * (ParameterCount + CacheFloats + WorkingFloats));

    /// <summary>Measures <paramref name="options"/> (validated first).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static NetworkFootprint Measure(LstmNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Compute(options);
    }

    /// <summary>Measures options whose settings are already checked (sizes and counts within the documented limits).</summary>
    internal static NetworkFootprint Compute(LstmNetworkOptions options)
    {
        long parameters = 0, cache = 0, dense = 0, working = 0;
        long inputSize = options.InputSize;
        foreach (LstmLayerOptions layer in options.Layers)
        {
            long cells = layer.HiddenSize, output = layer.OutputSize;
            Add(Matrix(layer.Input, 4 * cells, inputSize, 4));
            Add(Matrix(layer.Recurrent, 4 * cells, output, 4));
            parameters = checked(parameters + (4 * cells) + (layer.Peepholes ? 3 * cells : 0));
            if (layer.ProjectionSize > 0)
            {
                Add(Matrix(layer.Projection, output, cells, 1));
            }

            inputSize = output;
        }

        if (options.OutputSize > 0)
        {
            parameters = checked(parameters + (options.OutputSize * inputSize) + options.OutputSize);
        }

        return new NetworkFootprint(parameters, cache, dense, working);

        void Add(NetworkFootprint matrix)
        {
            parameters = checked(parameters + matrix.ParameterCount);
            cache = checked(cache + matrix.CacheFloats);
            dense = checked(dense + matrix.DenseFormFloats);
            working = checked(working + matrix.WorkingFloats);
        }
    }

    /// <summary>One m×n matrix of <paramref name="spec"/>'s kind, with the rank clamped as <see cref="GateMatrixSpec.Build(int, int, int)"/> does.</summary>
    private static NetworkFootprint Matrix(GateMatrixSpec spec, long m, long n, long gates)
    {
        switch (spec.Kind)
        {
            case "dense":
                return new(checked(m * n), 0, 0, 0);
            case "lowrank":
            {
                long k = Math.Min(spec.Rank, Math.Min(m, n));
                return new(checked(k * (m + n)), 0, 0, 0);
            }

            case "lowrank-pergate":
            {
                long k = Math.Min(spec.Rank, Math.Min(m / gates, n));
                return new(checked(k * (m + (gates * n))), 0, 0, 0);
            }

            case "toeplitz":
            {
                long size = Math.Max(m, n), r = Math.Min(spec.Rank, size);
                return new(checked(2 * r * size), Spectra(r, size), DenseForm(m, n, size), checked((PlanFloatsPerLength + 4) * size));
            }

            case "toeplitz-stacked":
            {
                long side = Math.Min(m, n), r = Math.Min(spec.Rank, side), blocks = (Math.Max(m, n) + side - 1) / side;
                return new(checked(blocks * 2 * r * side), checked(blocks * Spectra(r, side)), DenseForm(m, n, side),
                    checked(((PlanFloatsPerLength + 4) * side) + (blocks * 4 * side)));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown gate-matrix kind.");
        }
    }

    // 4·⌈r/2⌉·N floats of generator spectra and one FFT's scratch.
    private static long Spectra(long r, long size) => checked((4 * ((r + 1) / 2) * size) + (ScratchFloatsPerLength * size));

    // The m×n dense form and the scratch for writing it (6N + FFT scratch).
    private static long DenseForm(long m, long n, long size) => checked((m * n) + ((6 + ScratchFloatsPerLength) * size));
}
