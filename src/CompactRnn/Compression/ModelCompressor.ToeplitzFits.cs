using System;
using System.Collections.Generic;
using System.Globalization;
using CompactRnn.Layers;
using CompactRnn.Models;
using MathNet.Numerics.LinearAlgebra;

namespace CompactRnn.Compression;

/// <content>The exact embedding and the activation fit of Toeplitz-like matrices (docs/math.md §14).</content>
public static partial class ModelCompressor
{
    private static (float[] Parameters, GateMatrixSpec Spec) ExactToeplitzLike(Matrix<double> dense, RankRule rule, string name, string parameterName)
    {
        int size = Math.Max(dense.RowCount, dense.ColumnCount);
        int rank;
        if (rule.Rank > 0)
        {
            rank = rule.Select([], size, name, parameterName);
            if (rank < 2)
            {
                throw new ArgumentOutOfRangeException(parameterName, rank,
                    $"The exact embedding of {name} needs displacement rank at least 2 (it embeds the rank-⌊r/2⌋ truncated SVD).");
            }
        }
        else
        {
            int k = rule.Select(ThinSvd.Of(dense).SingularValues, Math.Min(dense.RowCount, dense.ColumnCount), name, parameterName);
            rank = Math.Min(2 * Math.Max(k, 1), size);
        }

        return (ToFloat(ToeplitzGenerators.Exact(dense, rank, size)), new GateMatrixSpec("toeplitz", rank));
    }

    private static LstmModel FitActivations(LstmModel source, RankRule rule, ToeplitzFitOptions fit, IReadOnlyCollection<int>? layers, CompressedMatrices matrices)
    {
        ArgumentNullException.ThrowIfNull(source);
        RequireDefined(matrices);
        bool[] chosen = ChooseLayers(layers, source.Network.Layers.Count, nameof(layers));
        LayerMoments?[] moments = ActivationMoments.Collect(source, fit.Utterances!, chosen, nameof(fit));
        var options = new List<LstmLayerOptions>(source.Network.Options.Layers);
        var replacements = NewReplacements(options.Count);
        for (int l = 0; l < options.Count; l++)
        {
            if (!chosen[l])
            {
                continue;
            }

            // The bias is free: fit Δ = M − W on the centred moment, then shift b by −Δμ (docs/math.md §14.2).
            LayerMoments moment = moments[l]!;
            double[] centred = moment.Centred();
            bool input = matrices != CompressedMatrices.RecurrentOnly, recurrent = matrices != CompressedMatrices.InputOnly;
            Matrix<double> wx = Dense(source, l, MatrixPart.Input), wr = Dense(source, l, MatrixPart.Recurrent);
            int rows = wx.RowCount, p = wx.ColumnCount + wr.ColumnCount;
            (ActivationFit.Block x, string xStart) = BetterStart(StartBlock(wx, input, rule, Name(l, "Wx")), wx, centred, rows, 0, p);
            (ActivationFit.Block r, string rStart) = BetterStart(StartBlock(wr, recurrent, rule, Name(l, "Wr")), wr, centred, rows, wx.ColumnCount, p);
            (double before, double after) = ActivationFit.Fit([x, r], centred, rows, fit.MaxIterations);
            fit.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"layers.{l}: starts W_x {xStart}, W_r {rStart}; centred pre-activation residual Σ‖ΔW (z−μ)‖² / Σ‖W (z−μ)‖² {before:F4} → {after:F4} over {moment.Frames:N0} frames"));
            replacements[l].BiasShift = BiasShift([x, r], moment.Mean(), rows);
            if (x.Generators is { } gx)
            {
                replacements[l].Input = ToFloat(gx);
                options[l] = options[l] with { Input = new GateMatrixSpec("toeplitz", x.Rank) };
            }

            if (r.Generators is { } gr)
            {
                replacements[l].Recurrent = ToFloat(gr);
                options[l] = options[l] with { Recurrent = new GateMatrixSpec("toeplitz", r.Rank) };
            }
        }

        return NetworkAssembler.Assemble(source, source.Network.Options with { Layers = options }, replacements, outputWeights: null);
    }

    // The displacement-SVD generators (and r) of a fitted block; a kept block has none.
    private static ActivationFit.Block StartBlock(Matrix<double> dense, bool fitted, RankRule rule, string name)
    {
        int size = Math.Max(dense.RowCount, dense.ColumnCount);
        double[] target = dense.ToRowMajorArray();
        if (!fitted)
        {
            return new ActivationFit.Block(target, null, 0, size);
        }

        (float[] parameters, GateMatrixSpec spec) = ToeplitzLike(dense, rule, name, "displacementRank");
        return new ActivationFit.Block(target, Array.ConvertAll(parameters, v => (double)v), spec.Rank, size);
    }

    // The exact embedding at the same r when it explains more of the block's own pre-activations than the displacement SVD.
    private static (ActivationFit.Block Block, string Start) BetterStart(ActivationFit.Block block, Matrix<double> dense, double[] moment, int rows, int offset, int p)
    {
        if (block.Generators is null)
        {
            return (block, "kept");
        }

        if (block.Rank < 2)
        {
            return (block, "svd");
        }

        double[] exact = ToeplitzGenerators.Exact(dense, block.Rank, block.Size);
        return ActivationFit.BlockError(exact, block, moment, rows, offset, p) < ActivationFit.BlockError(block.Generators, block, moment, rows, offset, p)
            ? (block with { Generators = exact }, "exact")
            : (block, "svd");
    }

    // −(M − W) μ over the layer's blocks: the bias change that removes the residual's mean.
    private static float[] BiasShift(IReadOnlyList<ActivationFit.Block> blocks, double[] mean, int rows)
    {
        double[] shift = new double[rows];
        int column = 0;
        foreach (ActivationFit.Block block in blocks)
        {
            int n = block.Target.Length / rows;
            if (block.Generators is { } g)
            {
                double[] m = ToeplitzGenerators.Solve(g, block.Rank, block.Size, rows, n);
                for (int i = 0; i < rows; i++)
                {
                    double sum = 0;
                    for (int k = 0; k < n; k++)
                    {
                        sum += (m[(i * n) + k] - block.Target[(i * n) + k]) * mean[column + k];
                    }

                    shift[i] -= sum;
                }
            }

            column += n;
        }

        return ToFloat(shift);
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
