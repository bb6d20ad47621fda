using System;
using System.Globalization;
using CompactRnn.Models;

namespace CompactRnn.Benchmarks.Peers;

/// <summary>
/// The run-time bytes rows of <c>bench --quick</c>: what a model and its session hold per inference path, read from the
/// arrays they allocated (<see cref="StreamingSession.Memory"/>, <see cref="LstmModel.BatchMemory"/>), printed as
/// <c># bytes,case,path,parameter_bytes,cache_bytes,dense_form_bytes,table_bytes,pack_bytes,buffer_bytes,total_bytes,multiple</c>
/// (comment lines, so the timing CSV stays one table).
/// </summary>
internal static class RuntimeBytesReport
{
    /// <summary>Frames and sequences of the batch call whose buffers the batch row counts (as <c>compactrnn info</c>).</summary>
    public const int BatchSteps = 100, BatchSequences = 32;

    public const string Header = "# bytes,case,path,parameter_bytes,cache_bytes,dense_form_bytes,table_bytes,pack_bytes,buffer_bytes,total_bytes,multiple";

    /// <summary>Prints the float32 and int8 streaming rows of a fresh model from <paramref name="options"/>, and the batch row when <paramref name="batch"/>.</summary>
    public static void Print(string name, LstmNetworkOptions options, bool batch)
    {
        LstmModel model = LstmModel.CreateInitialized(options, PeerCases.Seed);
        float[] frame = new float[options.InputSize];
        foreach (WeightPrecision precision in new[] { WeightPrecision.Float32, WeightPrecision.Int8 })
        {
            StreamingSession session = model.CreateSession(precision);
            session.Step(frame, new float[session.OutputSize]);
            Row(name, precision == WeightPrecision.Float32 ? "stream_float32" : "stream_int8", session.Memory);
        }

        if (batch)
        {
            int outputs = model.Network.OutputSize;
            model.Infer(new float[BatchSteps * BatchSequences * options.InputSize], BatchSteps, BatchSequences, [], new float[BatchSteps * BatchSequences * outputs]);
            Row(name, $"batch_b{BatchSequences}_t{BatchSteps}", model.BatchMemory);
        }
    }

    private static void Row(string name, string path, RuntimeMemory m)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# bytes,{name},{path},{m.ParameterBytes},{m.CacheBytes},{m.DenseFormBytes},{m.TableBytes},{m.PackBytes},{m.BufferBytes},{m.TotalBytes},{m.ParameterMultiple:F3}"));
}
