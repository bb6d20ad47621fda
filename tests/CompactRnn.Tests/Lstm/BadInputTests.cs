using System;
using CompactRnn.Layers;
using CompactRnn.Models;

namespace CompactRnn.Tests.Lstm;

/// <summary>Wrong sizes and settings fail with exceptions that name the argument and the value.</summary>
public sealed class BadInputTests
{
    private static LstmNetwork Network() => new(new LstmNetworkOptions
    {
        InputSize = 3,
        Layers = [new LstmLayerOptions { HiddenSize = 4, ProjectionSize = 2 }],
        OutputSize = 5,
    });

    [Fact]
    public void Forward_WrongFeatureCount_ThrowsNamingInputs()
    {
        LstmNetwork network = Network();
        var tape = network.CreateTape(4, 2);
        var error = Assert.Throws<ArgumentException>(() =>
            network.Forward(new float[network.ParameterCount], new float[network.CacheSize], new float[(4 * 2 * 3) - 1], 4, [], tape, training: false));
        Assert.Equal("inputs", error.ParamName);
    }

    [Fact]
    public void Forward_LengthsForTheWrongBatch_ThrowsNamingLengths()
    {
        LstmNetwork network = Network();
        var tape = network.CreateTape(4, 2);
        var error = Assert.Throws<ArgumentException>(() =>
            network.Forward(new float[network.ParameterCount], new float[network.CacheSize], new float[4 * 2 * 3], 4, [4, 4, 4], tape, training: false));
        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_LengthLongerThanTheSteps_ThrowsWithTheValue()
    {
        LstmNetwork network = Network();
        var tape = network.CreateTape(4, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            network.Forward(new float[network.ParameterCount], new float[network.CacheSize], new float[4 * 2 * 3], 4, [4, 9], tape, training: false));
        Assert.Equal("lengths", error.ParamName);
        Assert.Equal(9, error.ActualValue);
    }

    [Fact]
    public void Forward_MoreStepsThanTheTapeHolds_Throws()
    {
        LstmNetwork network = Network();
        var tape = network.CreateTape(4, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            network.Forward(new float[network.ParameterCount], new float[network.CacheSize], new float[5 * 2 * 3], 5, [], tape, training: false));
        Assert.Equal("steps", error.ParamName);
    }

    [Theory]
    [InlineData(0, 0, 0f)]
    [InlineData(4, -1, 0f)]
    [InlineData(4, 0, -1f)]
    public void LayerOptions_InvalidSetting_ThrowsNamingIt(int hidden, int projection, float cellClip)
    {
        var options = new LstmLayerOptions { HiddenSize = hidden, ProjectionSize = projection, CellClip = cellClip };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains(hidden < 1 ? "HiddenSize" : projection < 0 ? "ProjectionSize" : "CellClip", error.ParamName, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkOptions_DropoutOfOne_IsRejected()
    {
        var options = new LstmNetworkOptions { InputSize = 3, Layers = [new LstmLayerOptions { HiddenSize = 2 }], Dropout = 1f };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("Dropout", error.ParamName);
    }
}
