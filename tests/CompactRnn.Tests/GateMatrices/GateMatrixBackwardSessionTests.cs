using System;
using System.Linq;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.GateMatrices;

/// <summary>
/// The backward session every kind implements (<see cref="GateMatrix.BeginBackward"/>): over several steps it gives the
/// input gradients of complete calls at once and their summed parameter gradient after Finish, whatever the kind defers;
/// its arguments are checked by name.
/// </summary>
public sealed class GateMatrixBackwardSessionTests
{
    public static TheoryData<string> Kinds => new() { "dense", "lowrank", "lowrank-pergate", "toeplitz", "toeplitz-stacked" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Session_OverSeveralSteps_EqualsCompleteCalls(string kind)
    {
        const int batch = 3, steps = 4;
        GateMatrix matrix = Create(kind);
        var fixture = new GateMatrixFixture(matrix, seed: 5);
        float[] cache = new float[matrix.CacheSize];
        matrix.Prepare(fixture.Parameters, cache);
        int m = matrix.OutputSize, n = matrix.InputSize;
        float[] inputs = fixture.RandomVector(steps * batch * n), dOutputs = fixture.RandomVector(steps * batch * m);
        float[] workspace = new float[matrix.WorkspaceSize(batch)];
        float[] complete = new float[matrix.ParameterCount], dxComplete = new float[inputs.Length];
        for (int t = 0; t < steps; t++)
        {
            matrix.Backward(new GateMatrixWeights(fixture.Parameters, cache), inputs.AsSpan(t * batch * n), dOutputs.AsSpan(t * batch * m), batch,
                complete, dxComplete.AsSpan(t * batch * n, batch * n), workspace);
        }

        foreach (bool keepRows in new[] { false, true })
        {
            float[] viaSession = new float[matrix.ParameterCount], dxSession = new float[inputs.Length];
            float[] state = new float[matrix.BackwardStateSize(batch)];
            GateMatrixBackwardSession session = matrix.BeginBackward(new GateMatrixWeights(fixture.Parameters, cache), viaSession, batch, state, workspace,
                keepRows ? new GateMatrixPassRows(inputs, dOutputs) : default);
            for (int t = steps - 1; t >= 0; t--)
            {
                session.Step(inputs.AsSpan(t * batch * n), dOutputs.AsSpan(t * batch * m), batch, dxSession.AsSpan(t * batch * n, batch * n));
            }

            session.Finish();
            AssertClose(dxComplete, dxSession, 1e-5, $"{kind} dX (rows kept: {keepRows})");
            AssertClose(complete, viaSession, 1e-5, $"{kind} dθ (rows kept: {keepRows})");
        }
    }

    [Fact]
    public void Dense_WithPassRows_TakesParameterGradientOnlyInFinish()
    {
        var matrix = new DenseGateMatrix(6, 5);
        var fixture = new GateMatrixFixture(matrix, seed: 1);
        float[] input = fixture.RandomVector(2 * 5), dOutput = fixture.RandomVector(2 * 6);
        float[] dParameters = new float[matrix.ParameterCount], dInput = new float[input.Length];
        GateMatrixBackwardSession session = matrix.BeginBackward(new GateMatrixWeights(fixture.Parameters, []), dParameters, 2, [], [],
            new GateMatrixPassRows(input, dOutput));
        session.Step(input, dOutput, 2, dInput);
        Assert.All(dParameters, value => Assert.Equal(0f, value));
        session.Finish();

        float[] expected = new float[matrix.ParameterCount], expectedInput = new float[input.Length];
        matrix.Backward(new GateMatrixWeights(fixture.Parameters, []), input, dOutput, 2, expected, expectedInput, []);
        Assert.Equal(expected, dParameters);   // the same GEMM over the same rows: bit-identical
        Assert.Equal(expectedInput, dInput);
    }

    [Fact]
    public void Session_StateContentOnEntry_IsIgnored()
    {
        GateMatrix matrix = new ToeplitzLikeGateMatrix(24, 8, 2);
        var fixture = new GateMatrixFixture(matrix, seed: 3);
        float[] cache = new float[matrix.CacheSize];
        matrix.Prepare(fixture.Parameters, cache);
        float[] input = fixture.RandomVector(4 * 8), dOutput = fixture.RandomVector(4 * 24), workspace = new float[matrix.WorkspaceSize(4)];
        float[] clean = new float[matrix.ParameterCount], dirty = new float[matrix.ParameterCount];
        float[] state = new float[matrix.BackwardStateSize(4)];
        Assert.NotEmpty(state); // the default threshold at this size takes the dense form
        foreach (float[] destination in new[] { clean, dirty })
        {
            Array.Fill(state, destination == dirty ? 7f : 0f);
            GateMatrixBackwardSession session = matrix.BeginBackward(new GateMatrixWeights(fixture.Parameters, cache), destination, 4, state, workspace);
            session.Step(input, dOutput, 4, []);
            session.Finish();
        }

        Assert.Equal(clean, dirty);
    }

    [Fact]
    public void BeginBackward_BadArguments_ThrowNamingThem()
    {
        GateMatrix matrix = new ToeplitzLikeGateMatrix(12, 8, 2);
        float[] parameters = new float[matrix.ParameterCount], cache = new float[matrix.CacheSize], dParameters = new float[matrix.ParameterCount];
        float[] workspace = new float[matrix.WorkspaceSize(2)];
        int stateSize = matrix.BackwardStateSize(2);
        Assert.True(stateSize > 0);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() =>
            matrix.BeginBackward(new GateMatrixWeights(parameters, cache), dParameters, 2, new float[stateSize - 1], workspace)).ParamName);
        Assert.Equal("parameterGradient", Assert.Throws<ArgumentException>(() =>
            matrix.BeginBackward(new GateMatrixWeights(parameters, cache), new float[3], 2, new float[stateSize], workspace)).ParamName);
        Assert.Equal("rowsPerCall", Assert.Throws<ArgumentOutOfRangeException>(() =>
            matrix.BeginBackward(new GateMatrixWeights(parameters, cache), dParameters, 0, new float[stateSize], workspace)).ParamName);
        Assert.Equal("passRows", Assert.Throws<ArgumentException>(() =>
            matrix.BeginBackward(new GateMatrixWeights(parameters, cache), dParameters, 2, new float[stateSize], workspace,
                new GateMatrixPassRows(new float[8], new float[11]))).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            GateMatrixBackwardSession session = matrix.BeginBackward(new GateMatrixWeights(parameters, cache), dParameters, 2, new float[stateSize], workspace);
            session.Step(new float[24], new float[36], 3, []);
        }).ParamName);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackwardStateSize_OnlyToeplitzLikeKindsKeepState(string kind)
    {
        GateMatrix matrix = Create(kind);
        Assert.Equal(kind.StartsWith("toeplitz", StringComparison.Ordinal), matrix.BackwardStateSize(1000) > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.BackwardStateSize(0));
    }

    private static GateMatrix Create(string kind) => kind switch
    {
        "dense" => new DenseGateMatrix(24, 10),
        "lowrank" => new LowRankGateMatrix(24, 10, 3),
        "lowrank-pergate" => new LowRankGateMatrix(24, 10, 2, 4),
        "toeplitz" => new ToeplitzLikeGateMatrix(24, 10, 3),
        "toeplitz-stacked" => new StackedToeplitzLikeGateMatrix(24, 10, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind."),
    };

    /// <summary>|expected − actual| ≤ tolerance·max(1, max|expected|) element-wise.</summary>
    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
        => GateMatrixContractTests.AssertClose(expected.Select(v => (double)v).ToArray(), actual, tolerance, what);
}
