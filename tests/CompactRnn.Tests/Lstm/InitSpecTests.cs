using System;
using System.IO;
using System.Text;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Serialization;

namespace CompactRnn.Tests.Lstm;

/// <summary>The <c>init=</c> key of network specs and the <c>"init"</c> field of model configurations.</summary>
public sealed class InitSpecTests
{
    private static readonly LstmLayerOptions Defaults = new() { HiddenSize = 32, ProjectionSize = 16 };

    [Theory]
    [InlineData("vp", GateMatrixInit.VariancePreserving)]
    [InlineData("rank-scaled", GateMatrixInit.RankScaled)]
    [InlineData("orth", GateMatrixInit.SemiOrthogonal)]
    public void ParseReadsTheSchemeAndFormatWritesItBack(string text, GateMatrixInit init)
    {
        var layers = NetworkSpec.Parse($"toeplitz:r=4,init={text} x2 | dense x1", Defaults);
        Assert.Equal(init, layers[0].Init);
        Assert.Equal(init, layers[1].Init);
        Assert.Equal(LstmLayerOptions.DefaultInit, layers[2].Init);
        Assert.Equal(text, NetworkSpec.FormatInit(init));
        Assert.Equal(layers, NetworkSpec.Parse(NetworkSpec.Format(layers), Defaults));
    }

    [Fact]
    public void FormatOmitsTheDefaultScheme()
    {
        var layers = NetworkSpec.Parse("toeplitz:r=4 x1", Defaults);
        Assert.DoesNotContain("init=", NetworkSpec.Format(layers), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("toeplitz:r=4,init=orthogonal x1", "orthogonal")]
    [InlineData("toeplitz:r=4,init=vp,init=orth x1", "given twice")]
    [InlineData("toeplitz:r=4,init= x1", "''")]
    public void BadSchemesAreFormatErrorsQuotingThem(string spec, string quoted)
    {
        var error = Assert.Throws<FormatException>(() => NetworkSpec.Parse(spec, Defaults));
        Assert.Contains(quoted, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseInitRejectsUnknownTextNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkSpec.ParseInit("VP"));
        Assert.Equal("text", error.ParamName);
    }

    [Theory]
    [InlineData(GateMatrixInit.VariancePreserving)]
    [InlineData(GateMatrixInit.RankScaled)]
    [InlineData(GateMatrixInit.SemiOrthogonal)]
    public void ConfigurationRoundTripsTheScheme(GateMatrixInit init)
    {
        var options = new LstmNetworkOptions { InputSize = 8, OutputSize = 3, Layers = NetworkSpec.Parse("lowrank:k=4 x2", Defaults with { Init = init }) };
        byte[] json = NetworkOptionsJson.Write(options);
        Assert.Equal(init != GateMatrixInit.VariancePreserving, Encoding.UTF8.GetString(json).Contains("\"init\"", StringComparison.Ordinal));
        LstmNetworkOptions read = NetworkOptionsJson.Read(json);
        Assert.Equal(init, read.Layers[0].Init);
        Assert.Equal(init, read.Layers[1].Init);
    }

    [Fact]
    public void ConfigurationWithAnUnknownSchemeIsInvalidData()
    {
        var options = new LstmNetworkOptions { InputSize = 8, OutputSize = 3, Layers = NetworkSpec.Parse("toeplitz:r=2,init=rank-scaled x1", Defaults) };
        string json = Encoding.UTF8.GetString(NetworkOptionsJson.Write(options)).Replace("\"rank-scaled\"", "\"fancy\"", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidDataException>(() => NetworkOptionsJson.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("fancy", error.Message, StringComparison.Ordinal);
    }
}
