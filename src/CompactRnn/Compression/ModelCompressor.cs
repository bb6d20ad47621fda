using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.GateMatrices;
using CompactRnn.Layers;
using CompactRnn.Models;
using CompactRnn.Parameters;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Compression;

/// <summary>
/// Turns a trained model into a new, compressed <see cref="LstmModel"/> (a new structure and a new
/// parameter buffer; the source is not changed) by factorising its trained gate matrices in double
/// precision (Math.NET SVD). The new model can be run as is, saved, or fine-tuned like any other.
/// </summary>
/// <remarks>
/// <para>The source matrices may be of any kind: each is read through <see cref="GateMatrix.ToDense"/>, so a
/// model can also be re-compressed. Matrices, biases, peepholes and layers that are not chosen are copied
/// bit for bit, and so are the options that are not about the compressed matrices (clips, dropout,
/// output mode) except where a method says otherwise.</para>
/// <para>Layer choice: <c>layers</c> lists layer indices (bottom = 0); null chooses every layer that the
/// method can compress. An index outside the stack throws <see cref="ArgumentOutOfRangeException"/>.</para>
/// </remarks>
public static partial class ModelCompressor
{
    /// <summary>
    /// Replaces W_x and/or W_r of the chosen layers by <see cref="LowRankGateMatrix"/>es from the truncated
    /// SVD <c>W ≈ U_k Σ_k V_kᵀ</c>: <c>U = U_k Σ_k^{½}</c> (m×k), <c>V = Σ_k^{½} V_kᵀ</c> (k×n), the best rank-k
    /// approximation in Frobenius norm (Eckart–Young), with the singular values split evenly so neither
    /// factor dominates the scale of the gradients when fine-tuning.
    /// </summary>
    /// <param name="source">The trained model.</param>
    /// <param name="rank">The rank of each matrix (fixed k, or per matrix from τ); a fixed k above
    /// min(m, n) (per gate: min(m/4, n)) of any chosen matrix throws.</param>
    /// <param name="perGate">When true, each gate block (n_c rows) gets its own U_g·V_g (scheme A,
    /// <c>lowrank-pergate</c>); with τ, every gate of a matrix uses the largest of the four gate ranks.</param>
    /// <param name="layers">The layers to compress; null for all.</param>
    /// <param name="matrices">Which of W_x and W_r to compress.</param>
    public static LstmModel ToLowRank(LstmModel source, RankRule rank, bool perGate = false, IReadOnlyCollection<int>? layers = null,
        CompressedMatrices matrices = CompressedMatrices.InputAndRecurrent)
    {
        ArgumentNullException.ThrowIfNull(rank);
        return ReplaceGateMatrices(source, layers, matrices, (dense, name) => LowRank(dense, rank, perGate, name, nameof(rank)));
    }

    /// <summary>
    /// Rejects a model with a NaN or infinite parameter before any decomposition: an SVD of such a matrix does not
    /// converge (MathNet's NonConvergenceException) or yields NaN factors, and the message would not say why.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is not finite; the message names its block and index.</exception>
    internal static void RequireFinite(LstmModel source)
    {
        ReadOnlySpan<float> parameters = source.Parameters;
        foreach (ParameterBlock block in source.Network.ParameterBlocks)
        {
            ReadOnlySpan<float> values = block.Slice(parameters);
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"The model's parameter {block.Name}[{i}] is {values[i]}; a model with non-finite parameters cannot be compressed (retrain it or load the last good checkpoint)."), nameof(source));
                }
            }
        }
    }

    /// <summary>
    /// Fits a new W_x and/or W_r for every chosen layer from its dense equivalent and assembles the new model;
    /// everything else is copied.
    /// </summary>
    private static LstmModel ReplaceGateMatrices(LstmModel source, IReadOnlyCollection<int>? layers, CompressedMatrices matrices,
        Func<Matrix<double>, string, (float[] Parameters, GateMatrixSpec Spec)> fit)
    {
        ArgumentNullException.ThrowIfNull(source);
        RequireFinite(source);
        RequireDefined(matrices);
        bool[] chosen = ChooseLayers(layers, source.Network.Layers.Count, nameof(layers));
        var options = new List<LstmLayerOptions>(source.Network.Options.Layers);
        var replacements = NewReplacements(options.Count);
        for (int l = 0; l < options.Count; l++)
        {
            if (!chosen[l])
            {
                continue;
            }

            if (matrices != CompressedMatrices.RecurrentOnly)
            {
                (replacements[l].Input, GateMatrixSpec spec) = fit(Dense(source, l, MatrixPart.Input), Name(l, "Wx"));
                options[l] = options[l] with { Input = spec };
            }

            if (matrices != CompressedMatrices.InputOnly)
            {
                (replacements[l].Recurrent, GateMatrixSpec spec) = fit(Dense(source, l, MatrixPart.Recurrent), Name(l, "Wr"));
                options[l] = options[l] with { Recurrent = spec };
            }
        }

        return NetworkAssembler.Assemble(source, source.Network.Options with { Layers = options }, replacements, outputWeights: null);
    }

    private static (float[] Parameters, GateMatrixSpec Spec) LowRank(Matrix<double> dense, RankRule rule, bool perGate, string name, string parameterName)
    {
        int groups = perGate ? 4 : 1;
        int groupRows = dense.RowCount / groups;
        var decompositions = new ThinSvd[groups];
        int rank = 0;
        for (int g = 0; g < groups; g++)
        {
            decompositions[g] = ThinSvd.Of(dense.SubMatrix(g * groupRows, groupRows, 0, dense.ColumnCount));
            rank = Math.Max(rank, rule.Select(decompositions[g].SingularValues, Math.Min(groupRows, dense.ColumnCount), name, parameterName));
        }

        // Layout of LowRankGateMatrix: U then V (stacked), or U0, V0, U1, V1, … (per gate), each row-major.
        var parameters = new List<float>(groups * rank * (groupRows + dense.ColumnCount));
        foreach (ThinSvd decomposition in decompositions)
        {
            (Matrix<double> left, Matrix<double> right) = decomposition.BalancedFactors(rank);
            parameters.AddRange(ThinSvd.ToRowMajor(left));
            parameters.AddRange(ThinSvd.ToRowMajor(right));
        }

        return ([.. parameters], new GateMatrixSpec(perGate ? "lowrank-pergate" : "lowrank", rank));
    }

    /// <summary>The dense m×n matrix of one part of layer <paramref name="layer"/>, in double.</summary>
    private static Matrix<double> Dense(LstmModel model, int layer, MatrixPart part)
    {
        LstmLayer lstm = model.Network.Layers[layer];
        ReadOnlySpan<float> parameters = model.Network.LayerParameters(model.Parameters, layer);
        int recurrentOffset = lstm.InputMatrix.ParameterCount;
        int projectionOffset = recurrentOffset + lstm.RecurrentMatrix.ParameterCount + ((4 + (lstm.Options.Peepholes ? 3 : 0)) * lstm.HiddenSize);
        (GateMatrix matrix, int offset) = part switch
        {
            MatrixPart.Input => (lstm.InputMatrix, 0),
            MatrixPart.Recurrent => (lstm.RecurrentMatrix, recurrentOffset),
            _ => (lstm.ProjectionMatrix ?? throw new InvalidOperationException("The layer has no projection."), projectionOffset),
        };
        float[] dense = new float[matrix.OutputSize * matrix.InputSize];
        matrix.ToDense(parameters.Slice(offset, matrix.ParameterCount), dense);
        return ThinSvd.FromRowMajor(dense, matrix.OutputSize, matrix.InputSize);
    }

    private static bool[] ChooseLayers(IReadOnlyCollection<int>? layers, int count, string parameterName)
    {
        bool[] chosen = new bool[count];
        if (layers is null)
        {
            Array.Fill(chosen, true);
            return chosen;
        }

        foreach (int index in layers)
        {
            if (index < 0 || index >= count)
            {
                throw new ArgumentOutOfRangeException(parameterName, index, $"Layer index {index} is outside the stack of {count} layers.");
            }

            chosen[index] = true;
        }

        return chosen;
    }

    private static void RequireDefined(CompressedMatrices matrices)
    {
        if (!Enum.IsDefined(matrices))
        {
            throw new ArgumentOutOfRangeException(nameof(matrices), matrices, "Unknown choice of matrices.");
        }
    }

    private static LayerReplacement[] NewReplacements(int count)
    {
        var replacements = new LayerReplacement[count];
        for (int l = 0; l < count; l++)
        {
            replacements[l] = new LayerReplacement();
        }

        return replacements;
    }

    private static string Name(int layer, string part) => string.Create(CultureInfo.InvariantCulture, $"layers.{layer}.{part}");

    private enum MatrixPart
    {
        Input,
        Recurrent,
        Projection,
    }
}
