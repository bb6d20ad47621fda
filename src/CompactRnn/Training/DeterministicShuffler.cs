using System;

namespace CompactRnn.Training;

/// <summary>
/// Seeded Fisher–Yates shuffling (Durstenfeld's in-place form, Knuth TAOCP vol. 2, Algorithm P) with
/// <see cref="Random"/>: the same seed gives the same order on every run. The per-epoch overload derives
/// a fresh generator from (seed, epoch), so a resumed run needs no generator state to reproduce the
/// order of the epoch it resumes in.
/// </summary>
public static class DeterministicShuffler
{
    /// <summary>Shuffles <paramref name="items"/> in place: for i = n−1 … 1, swap items[i] with items[j], j = random.Next(i + 1).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items to permute in place.</param>
    /// <param name="random">The generator; advanced by n − 1 draws.</param>
    public static void Shuffle<T>(Span<T> items, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with 0 … n−1 shuffled by <c>new Random(seed)</c>.</summary>
    /// <param name="destination">[n], overwritten with a permutation of 0 … n−1.</param>
    /// <param name="seed">The seed of <see cref="Random"/>.</param>
    public static void FillPermutation(Span<int> destination, int seed)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = i;
        }

        Shuffle(destination, new Random(seed));
    }

    /// <summary>A new permutation of 0 … <paramref name="count"/>−1 for <paramref name="epoch"/> of a run seeded with <paramref name="seed"/>.</summary>
    /// <param name="count">n ≥ 0.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch number, at least 0; each epoch gets an independent order.</param>
    public static int[] CreatePermutation(int count, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var permutation = new int[count];
        FillPermutation(permutation, EpochSeed(seed, epoch));
        return permutation;
    }

    /// <summary>
    /// Mixes (seed, epoch) into one 31-bit seed with the SplitMix64 finaliser (Steele, Lea and Flood,
    /// 2014), so neighbouring epochs and seeds give unrelated generators.
    /// </summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch number, at least 0.</param>
    public static int EpochSeed(int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ulong z = ((ulong)(uint)seed << 32) | (uint)epoch;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
