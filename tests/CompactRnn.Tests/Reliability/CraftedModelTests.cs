using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Tests.Serialization;

namespace CompactRnn.Tests.Reliability;

/// <summary>Issue #13 defects 1–3 and 8: checksum-valid files with hostile configurations, and API limits equal to the reader's.</summary>
public class CraftedModelTests
{
    private const long Slack = 64L << 20;

    internal static byte[] Configuration(int inputSize, int hidden, string kind, int rank, int layers, int outputSize = 0, string mode = "frame", string extra = "")
    {
        string layer = string.Create(CultureInfo.InvariantCulture,
            $"{{\"hiddenSize\":{hidden},\"projectionSize\":0,\"peepholes\":false,\"cellClip\":0,\"projectionClip\":0,\"forgetBias\":1,\"input\":{{\"kind\":\"{kind}\",\"rank\":{rank}}},\"recurrent\":{{\"kind\":\"{kind}\",\"rank\":{rank}}},\"projection\":{{\"kind\":\"dense\",\"rank\":0}}}}");
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"format\":\"compactrnn-lstm\",\"version\":1,\"inputSize\":{inputSize},\"outputSize\":{outputSize},\"outputMode\":\"{mode}\",\"dropout\":0,\"layers\":[{string.Join(",", Enumerable.Repeat(layer, layers))}]{extra}}}"));
    }

    private static (InvalidDataException Error, long Allocated) LoadFails(byte[] configuration, int floats, ModelLoadOptions? options = null)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("crafted.crnn");
        ModelFile.Write(path, NetworkOptionsJson.KindTag, configuration, new float[floats]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(path, options ?? ModelLoadOptions.Default));
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Load_SmallFileDescribingEightHugeToeplitzLayers_FailsWithoutAllocating()
    {
        var (error, allocated) = LoadFails(Configuration(1 << 18, 1 << 18, "toeplitz", 1, 8), 100);

        Assert.Contains("parameters", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < Slack, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Load_4096ToeplitzRank1_HoldsNoDenseFormAndLoadsQuickly()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("t.crnn");
        var options = new LstmNetworkOptions { InputSize = 4096, Layers = NetworkSpec.Parse("toeplitz:r=1 x1", new LstmLayerOptions { HiddenSize = 4096 }) };
        LstmModel.CreateInitialized(options, seed: 1).Save(path);
        long declared = new FileInfo(path).Length;

        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        LstmModel model = LstmModel.Load(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < declared + Slack, $"allocated {allocated} bytes for a {declared}-byte file");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(model.Network.Layers[0].CacheSize < 1 << 22);
    }

    [Fact]
    public void Infer_LargeBatchOnToeplitzModel_BuildsDenseFormAndMatchesStreaming()
    {
        var options = new LstmNetworkOptions { InputSize = 24, Layers = NetworkSpec.Parse("toeplitz:r=2 x1", new LstmLayerOptions { HiddenSize = 32 }), OutputSize = 5 };
        LstmModel model = LstmModel.CreateInitialized(options, seed: 3);
        const int steps = 6, batch = 256;
        var random = new Random(2);
        float[] inputs = Enumerable.Range(0, steps * batch * 24).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] batched = new float[steps * batch * 5];
        Assert.True(model.Network.MayUseDenseForms((long)steps * 128));

        model.Infer(inputs, steps, batch, [], batched);

        StreamingSession session = model.CreateSession();
        float[] frame = new float[24], output = new float[5];
        for (int t = 0; t < steps; t++)
        {
            Array.Copy(inputs, t * batch * 24, frame, 0, 24); // sequence 0
            session.Step(frame, output);
            for (int c = 0; c < 5; c++)
            {
                Assert.Equal(output[c], batched[(t * batch * 5) + c], 4);
            }
        }
    }

    [Fact]
    public void Load_SizesOverflowingInt_IsInvalidDataNotOverflow()
    {
        var (error, allocated) = LoadFails(Configuration(16384, 16384, "dense", 0, 1), 10);

        Assert.Contains("parameters", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < Slack);
    }

    [Fact]
    public void Load_RankTimesSizeBeyondInt_IsRejected()
    {
        var (error, _) = LoadFails(Configuration(16384, 16384, "toeplitz", 32768, 1), 10);

        Assert.Contains("parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SizesBeyondArrays_ThrowArgumentOutOfRangeAtConstruction()
    {
        var options = new LstmNetworkOptions { InputSize = 16384, Layers = [new LstmLayerOptions { HiddenSize = 16384 }] };

        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(options));
    }

    [Fact]
    public void Load_OverBudget_NamesMaxBytes()
    {
        byte[] configuration = Configuration(64, 64, "dense", 0, 1);
        int count = (int)NetworkFootprint.Measure(NetworkOptionsJson.Read(configuration)).ParameterCount;

        var (error, _) = LoadFails(configuration, count, new ModelLoadOptions { MaxBytes = 1000 });

        Assert.Contains("MaxBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_65Layers_RejectedByValidateSoTheyCannotBeSaved()
    {
        var options = new LstmNetworkOptions { InputSize = 4, Layers = Enumerable.Repeat(new LstmLayerOptions { HiddenSize = 2 }, 65).ToArray() };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Throws<FormatException>(() => NetworkSpec.Parse("dense x65", new LstmLayerOptions { HiddenSize = 2 }));
    }

    [Theory]
    [InlineData("dense x2147483647")]
    [InlineData("dense x40 | dense x40")]
    [InlineData("toeplitz:r=2,r=3")]
    [InlineData("lowrank:k=99999999")]
    public void NetworkSpecParse_HostileText_ThrowsFormatException(string spec)
    {
        Assert.Throws<FormatException>(() => NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 8 }));
    }

    [Fact]
    public void Options_UndefinedOutputMode_IsRejected()
    {
        var options = new LstmNetworkOptions { InputSize = 4, Layers = [new LstmLayerOptions { HiddenSize = 2 }], OutputSize = 3, OutputMode = (OutputMode)7 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("OutputMode", error.ParamName);
    }

    [Theory]
    [InlineData(",\"inputSize\":5")]              // duplicate key
    public void Load_DuplicateKey_IsRejected(string extra)
    {
        var (error, _) = LoadFails(Configuration(4, 2, "dense", 0, 1, extra: extra), 10);

        Assert.Contains("configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfiguration_TrailingDocument_IsRejected()
    {
        byte[] configuration = [.. Configuration(4, 2, "dense", 0, 1), .. "{}"u8];

        Assert.Throws<InvalidDataException>(() => NetworkOptionsJson.Read(configuration));
    }

    [Theory]
    [InlineData("dense x2", 0)]
    [InlineData("lowrank:k=3 x1 | lowrank-pergate:k=2 x1", 6)]
    [InlineData("toeplitz:r=3 x2", 0)]
    [InlineData("toeplitz-stacked:r=2 x1", 7)]
    [InlineData("toeplitz:r=1000 x1", 0)]
    [InlineData("shared-lowrank:k=4 x2", 3)]
    public void Footprint_MatchesTheBuiltNetwork(string spec, int outputSize)
    {
        var options = new LstmNetworkOptions { InputSize = 13, Layers = NetworkSpec.Parse(spec, new LstmLayerOptions { HiddenSize = 20, Peepholes = true }), OutputSize = outputSize };

        NetworkFootprint footprint = NetworkFootprint.Measure(options);
        var withDenseForms = new LstmNetwork(options);
        LstmNetwork lean = withDenseForms.WithDenseForms(false);

        Assert.Equal(withDenseForms.ParameterCount, footprint.ParameterCount);
        Assert.True(lean.CacheSize <= footprint.CacheFloats, $"{lean.CacheSize} > {footprint.CacheFloats}");
        Assert.True(withDenseForms.CacheSize <= footprint.CacheFloats + footprint.DenseFormFloats);
    }
}
