using System;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace CompactRnn.Compression;

/// <summary>
/// The thin singular value decomposition <c>A = U·diag(σ)·Vᵀ</c> of an m×n matrix in double, with
/// p = min(m, n), U ∈ R^{m×p}, V ∈ R^{n×p} orthonormal columns and σ descending.
/// </summary>
/// <remarks>
/// Math.NET's SVD forms the full m×m U; for the tall 4n_c × n gate stacks that is 16× the work and
/// memory of the answer, so a tall matrix is first reduced by a thin QR (A = Q·R, R n×n) and only R is
/// decomposed: A = (Q·U_R)·Σ·Vᵀ. A wide matrix is handled through its transpose.
/// </remarks>
internal sealed class ThinSvd
{
    private ThinSvd(Matrix<double> left, double[] singularValues, Matrix<double> right)
    {
        Left = left;
        SingularValues = singularValues;
        Right = right;
    }

    /// <summary>U, m×p.</summary>
    public Matrix<double> Left { get; }

    /// <summary>σ_1 ≥ σ_2 ≥ … ≥ σ_p ≥ 0.</summary>
    public double[] SingularValues { get; }

    /// <summary>V, n×p (not transposed).</summary>
    public Matrix<double> Right { get; }

    /// <summary>Decomposes <paramref name="matrix"/>.</summary>
    /// <exception cref="ArgumentException">The matrix holds a NaN or infinity (the iteration would not converge).</exception>
    public static ThinSvd Of(Matrix<double> matrix)
    {
        if (!matrix.ForAll(double.IsFinite))
        {
            throw new ArgumentException("The matrix to decompose holds a NaN or infinite value.", nameof(matrix));
        }

        if (matrix.RowCount < matrix.ColumnCount)
        {
            ThinSvd transposed = Of(matrix.Transpose());
            return new ThinSvd(transposed.Right, transposed.SingularValues, transposed.Left);
        }

        if (matrix.RowCount > matrix.ColumnCount)
        {
            QR<double> qr = matrix.QR(QRMethod.Thin);
            Svd<double> inner = qr.R.Svd(computeVectors: true);
            return new ThinSvd(qr.Q * inner.U, inner.S.ToArray(), inner.VT.Transpose());
        }

        Svd<double> svd = matrix.Svd(computeVectors: true);
        return new ThinSvd(svd.U, svd.S.ToArray(), svd.VT.Transpose());
    }

    /// <summary>Reads an m×n row-major float matrix into double.</summary>
    public static Matrix<double> FromRowMajor(ReadOnlySpan<float> values, int rows, int columns)
    {
        Matrix<double> matrix = Matrix<double>.Build.Dense(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                matrix[i, j] = values[(i * columns) + j];
            }
        }

        return matrix;
    }

    /// <summary>Writes a matrix row-major as floats.</summary>
    public static float[] ToRowMajor(Matrix<double> matrix)
    {
        float[] values = new float[matrix.RowCount * matrix.ColumnCount];
        for (int i = 0; i < matrix.RowCount; i++)
        {
            for (int j = 0; j < matrix.ColumnCount; j++)
            {
                values[(i * matrix.ColumnCount) + j] = (float)matrix[i, j];
            }
        }

        return values;
    }

    /// <summary>The balanced rank-k factors of the truncation, <c>U_k·Σ_k^{½}</c> (m×k) and <c>Σ_k^{½}·V_kᵀ</c> (k×n).</summary>
    public (Matrix<double> Left, Matrix<double> Right) BalancedFactors(int rank)
    {
        Matrix<double> left = Left.SubMatrix(0, Left.RowCount, 0, rank).Clone();
        Matrix<double> right = Right.SubMatrix(0, Right.RowCount, 0, rank).Transpose();
        for (int j = 0; j < rank; j++)
        {
            double root = Math.Sqrt(SingularValues[j]);
            left.SetColumn(j, left.Column(j) * root);
            right.SetRow(j, right.Row(j) * root);
        }

        return (left, right);
    }
}
