using System;
using System.Linq;
using CompactRnn.Training;

namespace CompactRnn.Tests.Training;

public class DeterministicShufflerTests
{
    [Fact]
    public void FillPermutation_SameSeed_GivesSameOrderAsHandWrittenFisherYates()
    {
        var actual = new int[50];
        DeterministicShuffler.FillPermutation(actual, seed: 1234);

        int[] expected = [.. Enumerable.Range(0, 50)];
        var random = new Random(1234);
        for (int i = expected.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CreatePermutation_IsAPermutationAndRepeatable()
    {
        int[] first = DeterministicShuffler.CreatePermutation(1000, seed: 7, epoch: 3);
        int[] again = DeterministicShuffler.CreatePermutation(1000, seed: 7, epoch: 3);

        Assert.Equal(first, again);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), first);
    }

    [Fact]
    public void CreatePermutation_DifferentEpochsOrSeeds_GiveDifferentOrders()
    {
        int[] epoch0 = DeterministicShuffler.CreatePermutation(100, seed: 7, epoch: 0);
        int[] epoch1 = DeterministicShuffler.CreatePermutation(100, seed: 7, epoch: 1);
        int[] otherSeed = DeterministicShuffler.CreatePermutation(100, seed: 8, epoch: 0);

        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(epoch0, otherSeed);
    }

    [Fact]
    public void CreatePermutation_EmptyOrSingle_IsTrivial()
    {
        Assert.Empty(DeterministicShuffler.CreatePermutation(0, 1, 0));
        Assert.Equal([0], DeterministicShuffler.CreatePermutation(1, 1, 0));
    }

    [Fact]
    public void CreatePermutation_NegativeEpoch_Throws()
    {
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicShuffler.CreatePermutation(3, 1, -1)).ParamName);
    }
}
