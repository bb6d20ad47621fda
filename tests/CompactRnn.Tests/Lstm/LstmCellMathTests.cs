using System;
using CompactRnn.Layers;

namespace CompactRnn.Tests.Lstm;

public sealed class LstmCellMathTests
{
    [Theory]
    [InlineData(37, true, 0.5f)]
    [InlineData(64, false, 0f)]
    [InlineData(5, true, 0f)]
    public void Backward_VectorLanes_EqualScalarCellByCellBitForBit(int n, bool peepholes, float cellClip)
    {
        var random = new Random(n);
        float[] Draw(int count, float low, float high)
        {
            float[] values = new float[count];
            for (int k = 0; k < count; k++)
            {
                values[k] = low + ((high - low) * (float)random.NextDouble());
            }

            return values;
        }

        float[] gates = Draw(4 * n, 0.01f, 0.99f), peep = peepholes ? Draw(3 * n, -0.5f, 0.5f) : [];
        float[] cellPrevious = Draw(n, -1, 1), cellBeforeClip = Draw(n, -1, 1), cell = Draw(n, -1, 1), tanhCell = Draw(n, -0.9f, 0.9f), dm = Draw(n, -1, 1);
        float[] dCellStart = Draw(n, -1, 1), dPeepStart = peepholes ? Draw(3 * n, -1, 1) : [];
        float[] dCell = (float[])dCellStart.Clone(), dGates = new float[4 * n], dPeep = (float[])dPeepStart.Clone();
        LstmCellMath.Backward(gates, peep, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, dm, dCell, dGates, dPeep);

        for (int k = 0; k < n; k++)
        {
            // One cell alone runs the scalar loop only.
            float[] oneGates = [gates[k], gates[n + k], gates[(2 * n) + k], gates[(3 * n) + k]];
            float[] onePeep = peepholes ? [peep[k], peep[n + k], peep[(2 * n) + k]] : [];
            float[] oneDCell = [dCellStart[k]], oneDGates = new float[4];
            float[] oneDPeep = peepholes ? [dPeepStart[k], dPeepStart[n + k], dPeepStart[(2 * n) + k]] : [];
            LstmCellMath.Backward(oneGates, onePeep, [cellPrevious[k]], cellClip, [cellBeforeClip[k]], [cell[k]], [tanhCell[k]], [dm[k]], oneDCell, oneDGates, oneDPeep);
            Assert.Equal(oneDCell[0], dCell[k]);
            for (int gate = 0; gate < 4; gate++)
            {
                Assert.Equal(oneDGates[gate], dGates[(gate * n) + k]);
            }

            for (int p = 0; p < (peepholes ? 3 : 0); p++)
            {
                Assert.Equal(oneDPeep[p], dPeep[(p * n) + k]);
            }
        }
    }

    [Theory]
    [InlineData(37, true, 0.5f)]
    [InlineData(64, false, 0f)]
    [InlineData(5, true, 0f)]
    public void Forward_FusedLanes_MatchADoubleReference(int n, bool peepholes, float cellClip)
    {
        var random = new Random(100 + n);
        float[] Draw(int count, float scale)
        {
            float[] values = new float[count];
            for (int k = 0; k < count; k++)
            {
                values[k] = scale * ((2 * (float)random.NextDouble()) - 1);
            }

            return values;
        }

        float[] gates = Draw(4 * n, 4f), peep = peepholes ? Draw(3 * n, 0.5f) : [], cellPrevious = Draw(n, 1.5f);
        float[] a = (float[])gates.Clone(), cellBeforeClip = new float[n], cell = new float[n], tanhCell = new float[n], m = new float[n];
        LstmCellMath.Forward(a, peep, cellPrevious, cellClip, cellBeforeClip, cell, tanhCell, m);

        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        for (int k = 0; k < n; k++)
        {
            double cPrev = cellPrevious[k];
            double i = Sigmoid(gates[k] + (peepholes ? peep[k] * cPrev : 0));
            double f = Sigmoid(gates[n + k] + (peepholes ? peep[n + k] * cPrev : 0));
            double g = Math.Tanh(gates[(2 * n) + k]);
            double cHat = (f * cPrev) + (i * g);
            double c = cellClip > 0 ? Math.Clamp(cHat, -cellClip, cellClip) : cHat;
            double o = Sigmoid(gates[(3 * n) + k] + (peepholes ? peep[(2 * n) + k] * c : 0));
            const double tolerance = 1e-6;
            Assert.Equal(i, a[k], tolerance);
            Assert.Equal(f, a[n + k], tolerance);
            Assert.Equal(g, a[(2 * n) + k], tolerance);
            Assert.Equal(o, a[(3 * n) + k], tolerance);
            Assert.Equal(cHat, cellBeforeClip[k], tolerance);
            Assert.Equal(c, cell[k], tolerance);
            Assert.Equal(Math.Tanh(c), tanhCell[k], tolerance);
            Assert.Equal(o * Math.Tanh(c), m[k], tolerance);
        }
    }
}
