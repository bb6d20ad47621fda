namespace CompactRnn.Speech.Data;

/// <summary>
/// Reversible byte transform that makes quantised log-mel frames compress well: the row-major
/// [frames, dim] matrix is stored dimension-major as first differences over time,
/// e[d·T + t] = q[t, d] − q[t−1, d] (mod 256, q[−1, d] = 0). Slowly varying channels become runs of
/// small values for the entropy coder.
/// </summary>
internal static class FeatureCodec
{
    public static byte[] Encode(byte[] rowMajor, int frames, int dimension)
    {
        var encoded = new byte[rowMajor.Length];
        for (int d = 0; d < dimension; d++)
        {
            byte previous = 0;
            for (int t = 0; t < frames; t++)
            {
                byte current = rowMajor[(t * dimension) + d];
                encoded[(d * frames) + t] = unchecked((byte)(current - previous));
                previous = current;
            }
        }

        return encoded;
    }

    public static byte[] Decode(byte[] encoded, int frames, int dimension)
    {
        var rowMajor = new byte[encoded.Length];
        for (int d = 0; d < dimension; d++)
        {
            byte previous = 0;
            for (int t = 0; t < frames; t++)
            {
                previous = unchecked((byte)(previous + encoded[(d * frames) + t]));
                rowMajor[(t * dimension) + d] = previous;
            }
        }

        return rowMajor;
    }
}
