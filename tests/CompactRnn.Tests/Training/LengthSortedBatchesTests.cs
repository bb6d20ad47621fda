using System;
using System.Linq;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

/// <summary>Length-sorted minibatches: a permutation, batches from one sorted pool, little padding, deterministic.</summary>
public sealed class LengthSortedBatchesTests
{
    private const int Batch = 8;

    [Fact]
    public void Create_IsAPermutation_WithTheShortBatchLast()
    {
        var data = new LengthOnlyDataset(Lengths(203, seed: 1));
        int[] order = LengthSortedBatches.Create(data, Batch, pool: 5, seed: 3, epoch: 2);

        Assert.Equal(Enumerable.Range(0, 203), order.Order());
        int[] poolOf = PoolOfEachIndex(data, pool: 5, seed: 3, epoch: 2);
        for (int start = 0; start + Batch <= order.Length; start += Batch)
        {
            // Every full batch is a run of consecutive members of one sorted pool.
            Assert.Single(order.Skip(start).Take(Batch).Select(i => poolOf[i]).Distinct());
        }

        // 203 = 25·8 + 3: the three left over are the longest of the last pool, after every full batch.
        int[] lastPool = [.. Enumerable.Range(0, 203).Where(i => poolOf[i] == poolOf.Max())];
        Assert.All(order[200..], i => Assert.Contains(i, lastPool));
        Assert.True(order[200..].Min(data.SequenceLength) >= lastPool.Select(data.SequenceLength).Order().ElementAt(lastPool.Length - 3));
    }

    [Fact]
    public void Create_PadsFarLessThanRandomBatches()
    {
        var data = new LengthOnlyDataset(Lengths(800, seed: 2));
        int[] random = DeterministicShuffler.CreatePermutation(800, seed: 5, epoch: 1);
        int[] sorted = LengthSortedBatches.Create(data, Batch, pool: 20, seed: 5, epoch: 1);

        double randomShare = RealShare(data, random), sortedShare = RealShare(data, sorted);
        Assert.True(randomShare < 0.7, $"random batches: {randomShare:F3} of the frames computed are real");
        Assert.True(sortedShare > 0.95, $"sorted pools: {sortedShare:F3} of the frames computed are real");
    }

    [Fact]
    public void Create_IsRepeatable_AndEachEpochDiffers()
    {
        var data = new LengthOnlyDataset(Lengths(160, seed: 3));
        int[] first = LengthSortedBatches.Create(data, Batch, pool: 4, seed: 7, epoch: 1);

        Assert.Equal(first, LengthSortedBatches.Create(data, Batch, pool: 4, seed: 7, epoch: 1));
        Assert.NotEqual(first, LengthSortedBatches.Create(data, Batch, pool: 4, seed: 7, epoch: 2));
        Assert.NotEqual(first, LengthSortedBatches.Create(data, Batch, pool: 4, seed: 8, epoch: 1));
    }

    [Fact]
    public void Create_BatchesAreShuffled_NotInLengthOrder()
    {
        var data = new LengthOnlyDataset(Lengths(320, seed: 4));
        int[] order = LengthSortedBatches.Create(data, Batch, pool: 40, seed: 1, epoch: 1); // one pool: sorted globally

        int[] longestPerBatch = [.. order.Chunk(Batch).Select(b => b.Max(data.SequenceLength))];
        Assert.NotEqual(longestPerBatch.Order(), longestPerBatch);
    }

    [Fact]
    public void Create_RejectsAPoolOrBatchBelowOne()
    {
        var data = new LengthOnlyDataset([3, 4]);
        Assert.Equal("pool", Assert.Throws<ArgumentOutOfRangeException>(() => LengthSortedBatches.Create(data, 2, pool: 0, seed: 1, epoch: 1)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => LengthSortedBatches.Create(data, 0, pool: 1, seed: 1, epoch: 1)).ParamName);
        Assert.Equal("LengthSortPool", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { LengthSortPool = -1 }.Validate()).ParamName);
    }

    // Which pool of the epoch's permutation each index fell into (the permutation cut into runs of pool·B).
    private static int[] PoolOfEachIndex(LengthOnlyDataset data, int pool, int seed, int epoch)
    {
        int[] permutation = DeterministicShuffler.CreatePermutation(data.Count, seed, epoch);
        int[] poolOf = new int[data.Count];
        for (int k = 0; k < permutation.Length; k++)
        {
            poolOf[permutation[k]] = k / (pool * Batch);
        }

        return poolOf;
    }

    private static double RealShare(LengthOnlyDataset data, int[] order)
    {
        long real = 0, computed = 0;
        foreach (int[] batch in order.Chunk(Batch))
        {
            real += batch.Sum(data.SequenceLength);
            computed += (long)Batch * batch.Max(data.SequenceLength);
        }

        return (double)real / computed;
    }

    // Lengths spread like utterances: 20 to 400 frames.
    private static int[] Lengths(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => 20 + random.Next(381))];
    }

    private sealed class LengthOnlyDataset(int[] lengths) : ISequenceDataset
    {
        public int Count => lengths.Length;

        public int FeatureSize => 1;

        public int SequenceLength(int index) => lengths[index];

        public void ReadFeatures(int index, Span<float> features) => features.Clear();

        public void ReadLabels(int index, Span<int> labels) => labels.Clear();
    }
}
