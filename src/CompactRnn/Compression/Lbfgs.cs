using System;
using System.Collections.Generic;

namespace CompactRnn.Compression;

/// <summary>
/// A small limited-memory BFGS minimiser in double (two-loop recursion, memory 10, backtracking Armijo line search),
/// for the smooth quartic objectives of the activation fit. It always returns the best point seen, so a stop on the
/// iteration cap is not a failure (unlike a minimiser that throws on it).
/// </summary>
internal static class Lbfgs
{
    private const int Memory = 10;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/>; returns the best point and its value.</summary>
    /// <param name="objective">f(x) and writes ∇f(x) into the second argument.</param>
    /// <param name="start">x_0 (not changed).</param>
    /// <param name="maxIterations">Cap on iterations (each one or more evaluations).</param>
    /// <param name="relativeTolerance">Stops when an iteration lowers f by less than this fraction of f.</param>
    public static (double[] Point, double Value) Minimize(Func<double[], double[], double> objective, double[] start, int maxIterations, double relativeTolerance = 1e-9)
    {
        int n = start.Length;
        double[] x = (double[])start.Clone();
        double[] gradient = new double[n];
        double value = objective(x, gradient);
        var steps = new List<(double[] S, double[] Y, double Rho)>();
        double[] direction = new double[n];
        double[] trial = new double[n];
        double[] trialGradient = new double[n];
        for (int iteration = 0; iteration < maxIterations && double.IsFinite(value); iteration++)
        {
            Direction(gradient, steps, direction);
            double slope = Dot(direction, gradient);
            if (!(slope < 0))
            {
                steps.Clear(); // the curvature pairs went stale: restart from steepest descent
                for (int i = 0; i < n; i++)
                {
                    direction[i] = -gradient[i];
                }

                slope = -Dot(gradient, gradient);
                if (slope == 0)
                {
                    break;
                }
            }

            // The first step of steepest descent has no scale; 1/‖g‖ moves by at most one unit.
            double step = steps.Count == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            double trialValue = double.NaN;
            bool accepted = false;
            for (int tries = 0; tries < 40; tries++)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = x[i] + (step * direction[i]);
                }

                trialValue = objective(trial, trialGradient);
                if (double.IsFinite(trialValue) && trialValue <= value + (1e-4 * step * slope))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                break;
            }

            double[] s = new double[n], y = new double[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = trial[i] - x[i];
                y[i] = trialGradient[i] - gradient[i];
            }

            double sy = Dot(s, y);
            if (sy > 1e-300)
            {
                if (steps.Count == Memory)
                {
                    steps.RemoveAt(0);
                }

                steps.Add((s, y, 1 / sy));
            }

            double decrease = value - trialValue;
            (x, trial) = (trial, x);
            (gradient, trialGradient) = (trialGradient, gradient);
            value = trialValue;
            if (decrease <= relativeTolerance * Math.Abs(value))
            {
                break;
            }
        }

        return (x, value);
    }

    // d = −H g by the two-loop recursion, with H_0 = (sᵀy / yᵀy)·I from the newest pair.
    private static void Direction(double[] gradient, List<(double[] S, double[] Y, double Rho)> steps, double[] direction)
    {
        Array.Copy(gradient, direction, gradient.Length);
        double[] alphas = new double[steps.Count];
        for (int k = steps.Count - 1; k >= 0; k--)
        {
            alphas[k] = steps[k].Rho * Dot(steps[k].S, direction);
            Axpy(-alphas[k], steps[k].Y, direction);
        }

        if (steps.Count > 0)
        {
            var newest = steps[^1];
            double scale = 1 / (newest.Rho * Dot(newest.Y, newest.Y));
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] *= scale;
            }
        }

        for (int k = 0; k < steps.Count; k++)
        {
            double beta = steps[k].Rho * Dot(steps[k].Y, direction);
            Axpy(alphas[k] - beta, steps[k].S, direction);
        }

        for (int i = 0; i < direction.Length; i++)
        {
            direction[i] = -direction[i];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }
}
