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
            Add(layer.Input.Footprint(4 * cells, inputSize, 4));
            Add(layer.Recurrent.Footprint(4 * cells, output, 4));
            parameters = checked(parameters + (4 * cells) + (layer.Peepholes ? 3 * cells : 0));
            if (layer.ProjectionSize > 0)
            {
                Add(layer.Projection.Footprint(output, cells, 1));
            }

            inputSize = output;
        }

        if (options.OutputSize > 0)
        {
            parameters = checked(parameters + (options.OutputSize * inputSize) + options.OutputSize);
        }

        return new NetworkFootprint(parameters, cache, dense, working);

        void Add(GateMatrixFootprint matrix)
        {
            parameters = checked(parameters + matrix.ParameterCount);
            cache = checked(cache + matrix.CacheFloats);
            dense = checked(dense + matrix.DenseFormFloats);
            working = checked(working + matrix.WorkingFloats);
        }
    }
}
