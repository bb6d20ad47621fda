using System;
using CompactRnn.Compression;
using CompactRnn.GateMatrices;

namespace CompactRnn.Tests.Compression;

public sealed class ToeplitzGeneratorsTests
{
    [Theory]
    [InlineData(7, 7, 7, 3)]
    [InlineData(12, 12, 3, 2)]
    [InlineData(10, 4, 10, 5)]
    public void Solve_MatchesTheGateMatrixDenseForm(int size, int rows, int columns, int rank)
    {
        double[] generators = Random(2 * rank * size, seed: size + rank);
        var matrix = new ToeplitzLikeGateMatrix(rows, columns, rank);
        Assert.Equal(size, matrix.EmbeddingSize);
        float[] expected = new float[rows * columns];
        matrix.ToDense(Array.ConvertAll(generators, v => (float)v), expected);
        double[] actual = ToeplitzGenerators.Solve(generators, rank, size, rows, columns);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(actual[i])), $"entry {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Theory]
    [InlineData(9, 9, 9, 2)]
    [InlineData(12, 12, 3, 3)]
    [InlineData(8, 5, 8, 1)]
    public void PullBack_IsTheGradientOfAnInnerProductWithM(int size, int rows, int columns, int rank)
    {
        // f(θ) = ⟨M(θ), D⟩ is bilinear in (G, H), so central differences are exact up to rounding.
        double[] theta = Random(2 * rank * size, seed: 3 * size);
        double[] d = Random(rows * columns, seed: 5 * size);
        double F(double[] t)
        {
            double[] m = ToeplitzGenerators.Solve(t, rank, size, rows, columns);
            double sum = 0;
            for (int i = 0; i < m.Length; i++)
            {
                sum += m[i] * d[i];
            }

            return sum;
        }

        double[] gradient = ToeplitzGenerators.PullBack(theta, rank, size, d, rows, columns);
        for (int p = 0; p < theta.Length; p++)
        {
            double saved = theta[p];
            theta[p] = saved + 1e-4;
            double plus = F(theta);
            theta[p] = saved - 1e-4;
            double minus = F(theta);
            theta[p] = saved;
            double numeric = (plus - minus) / 2e-4;
            Assert.True(Math.Abs(numeric - gradient[p]) <= 1e-8 + (1e-7 * Math.Abs(numeric)), $"parameter {p}: numeric {numeric}, analytic {gradient[p]}");
        }
    }

    [Fact]
    public void Lbfgs_MinimisesRosenbrock()
    {
        static double Rosenbrock(double[] x, double[] g)
        {
            double a = 1 - x[0], b = x[1] - (x[0] * x[0]);
            g[0] = (-2 * a) - (400 * x[0] * b);
            g[1] = 200 * b;
            return (a * a) + (100 * b * b);
        }

        (double[] point, double value) = Lbfgs.Minimize(Rosenbrock, [-1.2, 1], 500, relativeTolerance: 0);
        Assert.True(value < 1e-10, $"f = {value} at ({point[0]}, {point[1]})");
    }

    private static double[] Random(int count, int seed)
    {
        var random = new Random(seed);
        double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }
}
