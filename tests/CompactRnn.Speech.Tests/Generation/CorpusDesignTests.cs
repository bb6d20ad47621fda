using System;
using System.Linq;
using CompactRnn.CorpusGen.Generation;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Tests.Generation;

/// <summary>The split design of the full and default presets, checked on the plans (no synthesis).</summary>
public class CorpusDesignTests
{
    private static string Variant(string speaker) => speaker[(speaker.IndexOf('+', StringComparison.Ordinal) + 1)..];

    [Fact]
    public void Voices_TestHasAtLeast40UnseenVariantsBalancedOverTheTrainingAccents()
    {
        var train = VoiceCatalog.EspeakVoices(DatasetSplit.Train);
        var dev = VoiceCatalog.EspeakVoices(DatasetSplit.Dev);
        var test = VoiceCatalog.EspeakVoices(DatasetSplit.Test);
        var accent = VoiceCatalog.EspeakVoices(DatasetSplit.TestAccent);

        Assert.True(test.Count >= 40);
        Assert.Equal(test.Count, test.Select(v => Variant(v.Speaker)).Distinct().Count());
        var perAccent = test.GroupBy(v => v.Speaker[..v.Speaker.IndexOf('+', StringComparison.Ordinal)]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(VoiceCatalog.TrainAccents.Select(a => a.Name).Order(), perAccent.Keys.Order());
        Assert.True(perAccent.Values.Max() - perAccent.Values.Min() <= 1);
        Assert.Empty(train.Select(v => Variant(v.Speaker)).Intersect(test.Concat(dev).Select(v => Variant(v.Speaker))));
        Assert.Empty(dev.Select(v => Variant(v.Speaker)).Intersect(test.Select(v => Variant(v.Speaker))));
        Assert.All(accent, v => Assert.Contains(VoiceCatalog.HeldOutAccents, a => v.Speaker.StartsWith(a.Name + "+", StringComparison.Ordinal)));
    }

    [Fact]
    public void FullPreset_SizesSharesAndEngines()
    {
        UtterancePlan[] plans = UtterancePlanner.Plan(CorpusSettings.Full(1));
        int Words(DatasetSplit s) => plans.Where(p => p.Split == s).Sum(p => p.Words.Count);
        UtterancePlan[] train = [.. plans.Where(p => p.Split == DatasetSplit.Train)];

        Assert.True(Words(DatasetSplit.Test) >= 30_000, $"test words {Words(DatasetSplit.Test)}");
        Assert.True(Words(DatasetSplit.Dev) >= 8_000, $"dev words {Words(DatasetSplit.Dev)}");
        Assert.True(plans.Where(p => p.Split == DatasetSplit.Test).Select(p => p.Speaker).Distinct().Count() >= 40);
        Assert.InRange(train.Count(p => p.Engine == SynthesisEngine.Festival) / (double)train.Length, 0.18, 0.22);
        Assert.All(plans.Where(p => p.Split != DatasetSplit.Train), p => Assert.NotEqual(SynthesisEngine.Festival, p.Engine));
        Assert.All(plans, p => Assert.Equal(p.Split == DatasetSplit.CrossSynth, p.Engine == SynthesisEngine.Flite));
        Assert.InRange(plans.Count(p => p.Conditions.Telephone) / (double)plans.Length, 0.13, 0.17);
        Assert.InRange(plans.Count(p => p.Conditions.ReverbSeconds > 0) / (double)plans.Length, 0.18, 0.22);
        Assert.InRange(plans.Count(p => p.Conditions.Speed != 1.0) / (double)plans.Length, 0.48, 0.52);
        Assert.All(plans, p => Assert.InRange(p.Conditions.Speed, 0.85, 1.15));
    }

    [Fact]
    public void DefaultPreset_SameDesignWithEverySet()
    {
        UtterancePlan[] plans = UtterancePlanner.Plan(CorpusSettings.Default(1));

        Assert.All(Enum.GetValues<DatasetSplit>(), s => Assert.Contains(plans, p => p.Split == s));
        Assert.True(plans.Where(p => p.Split == DatasetSplit.Test).Select(p => p.Speaker).Distinct().Count() >= 40);
    }
}
