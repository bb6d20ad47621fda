using System;
using Microsoft.ML.OnnxRuntime;

namespace CompactRnn.Benchmarks.Onnx;

/// <summary>ONNX Runtime CPU sessions with a fixed thread setting, as every peer measurement uses.</summary>
internal static class OrtSessionFactory
{
    /// <summary>
    /// A session on the CPU provider with <paramref name="intraOpThreads"/> threads inside operators,
    /// one inter-op thread, sequential execution and all graph optimisations.
    /// </summary>
    public static InferenceSession Create(byte[] model, int intraOpThreads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(model, options);
    }
}
