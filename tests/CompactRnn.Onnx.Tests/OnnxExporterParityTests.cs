using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactRnn.Layers;
using CompactRnn.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompactRnn.Onnx.Tests;

/// <summary>
/// Every kind exported and run by ONNX Runtime against the library's own forward pass. Each case runs the
/// graph twice, frames [0, T) from zero states and then [T, 2T) from the states the first run returned, and
/// compares both with <see cref="LstmModel.Infer(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float}, int)"/> over 2T frames: outputs and state wiring are checked at once.
/// </summary>
public sealed class OnnxExporterParityTests
{
    private const int Features = 5;
    private const int Steps = 6;
    private const int Batch = 3;
    private const float Tolerance = 1e-4f; // docs/math.md §12

    public static TheoryData<string, int, bool> Cases() => new()
    {
        { "dense x2", 4, true },
        { "lowrank:k=3 x2", 4, true },
        { "lowrank-pergate:k=2 x2", 4, true },
        { "shared-lowrank:k=4 x2", 4, true },
        { "toeplitz:r=2 x2", 4, true },
        { "toeplitz-stacked:r=2 x2", 4, true },
        { "toeplitz:r=2,p=5 | shared-lowrank:k=3", 4, true },   // the hybrid, with a dense projection below
        { "dense:p=5 | lowrank:k=2,p=4", 0, true },             // LSTMP stack without an output layer
        { "toeplitz:r=3", 4, false },                          // no peepholes, no clips
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Export_EveryKind_OnnxRuntimeMatchesLibrary(string spec, int classes, bool peepholesAndClips)
    {
        LstmModel model = Model(spec, classes, peepholesAndClips, OutputMode.Frame);
        float[] inputs = RandomValues(2 * Steps * Batch * Features, seed: 7, scale: 2f);
        float[] expected = new float[2 * Steps * Batch * model.Network.OutputSize];
        model.Infer(inputs, 2 * Steps, Batch, [], expected);

        using var session = new InferenceSession(OnnxExporter.Export(model));
        int half = Steps * Batch * Features;
        Dictionary<string, float[]> states = ZeroStates(model);
        (float[] first, states) = Run(session, model, inputs.AsSpan(0, half).ToArray(), states);
        (float[] second, _) = Run(session, model, inputs.AsSpan(half, half).ToArray(), states);

        float[] actual = [.. first, .. second];
        Assert.Equal(expected.Length, actual.Length);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"{spec}: largest |ORT − CompactRnn| = {worst:E2}");
    }

    [Fact]
    public void Export_ClipsAreActive_InTheClippedCases()
    {
        // Guards the test above: with clips this small, the clip nodes decide outputs, so a graph that
        // dropped or misplaced them would fail parity. Without clips the same model gives other outputs.
        LstmModel clipped = Model("dense:p=5 | lowrank:k=2,p=4", 0, true, OutputMode.Frame);
        LstmModel unclipped = Model("dense:p=5 | lowrank:k=2,p=4", 0, true, OutputMode.Frame, clips: false);
        float[] inputs = RandomValues(Steps * Batch * Features, seed: 7, scale: 2f);
        float[] a = new float[Steps * Batch * 4], b = new float[Steps * Batch * 4];
        clipped.Infer(inputs, Steps, Batch, [], a);
        unclipped.Infer(inputs, Steps, Batch, [], b);
        Assert.True(a.Zip(b, (p, q) => Math.Abs(p - q)).Max() > 10 * Tolerance);
    }

    [Fact]
    public void Export_StackedLowRank_KeepsItsFactors()
    {
        // W_x and W_r go out as U and V (two MatMuls), so the file holds about the compact parameter count,
        // far below the dense equivalent's; parity of this path is the lowrank case above.
        var options = new LstmNetworkOptions
        {
            InputSize = 16,
            Layers = NetworkSpec.Parse("lowrank:k=2 x2", new LstmLayerOptions { HiddenSize = 32 }),
            OutputSize = 4,
        };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 2);

        long bytes = OnnxExporter.Export(model).Length;

        Assert.InRange(bytes, 4L * model.Network.ParameterCount, (4L * model.Network.ParameterCount) + 16_384);
        Assert.True(4L * model.Network.DenseParameterCount > 3 * bytes, $"{bytes} bytes against {4L * model.Network.DenseParameterCount} dense");
    }

    [Fact]
    public void Export_LastFrameMode_ReturnsTheLastFramesLogits()
    {
        LstmModel model = Model("toeplitz:r=2 x2", 4, true, OutputMode.LastFrame);
        float[] inputs = RandomValues(Steps * Batch * Features, seed: 3, scale: 1f);
        float[] expected = new float[Batch * 4];
        model.Infer(inputs, Steps, Batch, [], expected);

        using var session = new InferenceSession(OnnxExporter.Export(model));
        (float[] actual, _) = Run(session, model, inputs, ZeroStates(model));

        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= Tolerance);
    }

    [Fact]
    public void Save_WritesTheExportAtomically_AndRefusesAMissingFolder()
    {
        LstmModel model = Model("lowrank:k=2", 3, true, OutputMode.Frame);
        string folder = Path.Combine(Path.GetTempPath(), "compactrnn-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "m.onnx");
            OnnxExporter.Save(model, path);
            Assert.Equal(OnnxExporter.Export(model), File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder)); // no temporary file left behind
            Assert.Throws<DirectoryNotFoundException>(() => OnnxExporter.Save(model, Path.Combine(folder, "missing", "m.onnx")));
            Assert.Throws<ArgumentException>(() => OnnxExporter.Save(model, folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Export_NullModel_ThrowsNamingIt()
    {
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(null!)).ParamName);
    }

    private static LstmModel Model(string spec, int classes, bool peepholesAndClips, OutputMode mode, bool clips = true)
    {
        var defaults = new LstmLayerOptions
        {
            HiddenSize = 6,
            Peepholes = peepholesAndClips,
            CellClip = peepholesAndClips && clips ? 0.4f : 0f,
            ProjectionClip = peepholesAndClips && clips ? 0.3f : 0f,
        };
        var options = new LstmNetworkOptions
        {
            InputSize = Features,
            Layers = NetworkSpec.Parse(spec, defaults),
            OutputSize = classes,
            OutputMode = mode,
        };
        LstmModel initial = LstmModel.CreateInitialized(options, seed: 11);

        // Non-zero peepholes and larger biases than the initialisation gives, so every term is exercised.
        float[] parameters = initial.Parameters.ToArray();
        var random = new Random(5);
        foreach (var block in initial.Network.ParameterBlocks.Where(b => b.Name.EndsWith("peepholes", StringComparison.Ordinal) || b.Name.EndsWith(".b", StringComparison.Ordinal)))
        {
            foreach (ref float value in block.Slice(parameters.AsSpan()))
            {
                value += (float)((random.NextDouble() * 1.6) - 0.8);
            }
        }

        return new LstmModel(initial.Network, parameters);
    }

    private static Dictionary<string, float[]> ZeroStates(LstmModel model)
    {
        var states = new Dictionary<string, float[]>();
        for (int l = 0; l < model.Network.Layers.Count; l++)
        {
            states[OnnxExporter.OutputStateName(l)] = new float[Batch * model.Network.Layers[l].OutputSize];
            states[OnnxExporter.CellStateName(l)] = new float[Batch * model.Network.Layers[l].HiddenSize];
        }

        return states;
    }

    private static (float[] Output, Dictionary<string, float[]> States) Run(InferenceSession session, LstmModel model, float[] frames, Dictionary<string, float[]> states)
    {
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(frames, [frames.Length / (Batch * Features), Batch, Features])),
        };
        foreach ((string name, float[] value) in states)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(value, [Batch, value.Length / Batch])));
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        float[] output = results.Single(r => r.Name == OnnxExporter.OutputName).AsTensor<float>().ToArray();
        var next = new Dictionary<string, float[]>();
        for (int l = 0; l < model.Network.Layers.Count; l++)
        {
            next[OnnxExporter.OutputStateName(l)] = results.Single(r => r.Name == OnnxExporter.NextOutputStateName(l)).AsTensor<float>().ToArray();
            next[OnnxExporter.CellStateName(l)] = results.Single(r => r.Name == OnnxExporter.NextCellStateName(l)).AsTensor<float>().ToArray();
        }

        return (output, next);
    }

    private static float[] RandomValues(int count, int seed, float scale)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale)];
    }
}
