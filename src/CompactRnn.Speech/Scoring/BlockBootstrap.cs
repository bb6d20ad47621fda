using System;
using System.Collections.Generic;
using System.Linq;

namespace CompactRnn.Speech.Scoring;

/// <summary>
/// Word error rates with confidence intervals from a bootstrap over speaker (voice) blocks
/// (docs/speech-benchmark.md, "Uncertainty"). Utterances of one voice share its errors (a voice that the
/// model finds hard makes all its utterances hard), so resampling utterances independently would understate
/// the spread; the unit of resampling is the voice. With B voices, each replicate draws B voices with
/// replacement and recomputes WER* = Σ errors / Σ words over the drawn voices (a ratio estimator, so
/// voices with more words weigh more, as in the corpus WER). The interval is the percentile interval of
/// R replicates: the ⌊R·a/2⌋-th and ⌈R·(1 − a/2)⌉-th order statistics for level 1 − a.
/// The paired version draws the same voices for both models and resamples the difference
/// Σ(e_A − e_B)/Σ n, which cancels the voice-to-voice spread the two models share.
/// Deterministic for a given <see cref="BootstrapOptions.Seed"/>; voices are ordered ordinally first.
/// </summary>
public static class BlockBootstrap
{
    /// <summary>Corpus WER of <paramref name="utterances"/> with its speaker-block interval.</summary>
    public static WerEstimate Wer(IReadOnlyList<ScoredUtterance> utterances, string name = "all", BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new BootstrapOptions();
        options.Validate();
        Block[] blocks = Blocks(utterances.Select(u => (u.Speaker, (long)u.Errors.Errors, 0L, (long)u.Errors.ReferenceLength)));
        long errors = blocks.Sum(b => b.ErrorsA);
        long words = blocks.Sum(b => b.Words);
        if (words == 0)
        {
            throw new ArgumentException($"'{name}' has no reference words to score.", nameof(utterances));
        }

        (double lower, double upper) = Interval(blocks, options, b => b.ErrorsA);
        return new WerEstimate(name, (double)errors / words, lower, upper, errors, words, utterances.Count, blocks.Length);
    }

    /// <summary>
    /// WER(A) − WER(B) on the same utterances (matched by id; references must agree), with a paired
    /// speaker-block interval.
    /// </summary>
    public static PairedDifference Paired(IReadOnlyList<ScoredUtterance> modelA, IReadOnlyList<ScoredUtterance> modelB, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelA);
        ArgumentNullException.ThrowIfNull(modelB);
        return PairedMean([(modelA, modelB)], options);
    }

    /// <summary>
    /// The mean over S pairs (e.g. one per training seed) of WER(A_s) − WER(B_s), every pair scored on the same
    /// utterances, with one paired speaker-block interval: each replicate draws voices once and applies the draw to
    /// every pair, so the interval covers the test voices' sampling, given these S pairs (the spread between seeds is
    /// not in it; report it beside). Since every pair has the same words n_v per voice, pooling the pairs' rows gives
    /// Σ_v Σ_s (e_A,s,v − e_B,s,v) / (S·Σ_v n_v), the mean of the S differences, in every replicate.
    /// </summary>
    public static PairedDifference PairedMean(IReadOnlyList<(IReadOnlyList<ScoredUtterance> ModelA, IReadOnlyList<ScoredUtterance> ModelB)> pairs, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("A paired comparison needs at least one pair of results.", nameof(pairs));
        }

        options ??= new BootstrapOptions();
        options.Validate();
        var rows = new List<(string, long, long, long)>();
        HashSet<string>? firstIds = null;
        foreach ((IReadOnlyList<ScoredUtterance> modelA, IReadOnlyList<ScoredUtterance> modelB) in pairs)
        {
            ArgumentNullException.ThrowIfNull(modelA, nameof(pairs));
            ArgumentNullException.ThrowIfNull(modelB, nameof(pairs));
            var ids = new HashSet<string>(modelA.Select(a => a.Id), StringComparer.Ordinal);
            if (firstIds is null)
            {
                firstIds = ids;
            }
            else if (!firstIds.SetEquals(ids))
            {
                throw new ArgumentException("Every pair of a mean difference must cover the same utterances.", nameof(pairs));
            }

            rows.AddRange(PairedRows(modelA, modelB));
        }

        Block[] blocks = Blocks(rows);
        long words = blocks.Sum(x => x.Words);
        if (words == 0)
        {
            throw new ArgumentException("The results have no reference words to score.", nameof(pairs));
        }

        double werA = (double)blocks.Sum(x => x.ErrorsA) / words;
        double werB = (double)blocks.Sum(x => x.ErrorsB) / words;
        (double lower, double upper) = Interval(blocks, options, x => x.ErrorsA - x.ErrorsB);
        return new PairedDifference(werA, werB, werA - werB, lower, upper, words / pairs.Count, blocks.Length);
    }

    // One row per utterance of A: its speaker, A's errors, B's errors on the same utterance, and the reference length.
    private static List<(string Speaker, long ErrorsA, long ErrorsB, long Words)> PairedRows(IReadOnlyList<ScoredUtterance> modelA, IReadOnlyList<ScoredUtterance> modelB)
    {
        if (modelA.Count != modelB.Count)
        {
            throw new ArgumentException($"Model A has {modelA.Count} utterances, model B {modelB.Count}; a paired comparison needs the same utterances.", nameof(modelB));
        }

        var byId = new Dictionary<string, ScoredUtterance>(StringComparer.Ordinal);
        foreach (ScoredUtterance b in modelB)
        {
            if (!byId.TryAdd(b.Id, b))
            {
                throw new ArgumentException($"Utterance id '{b.Id}' is repeated in model B's results.", nameof(modelB));
            }
        }

        var rows = new List<(string, long, long, long)>(modelA.Count);
        foreach (ScoredUtterance a in modelA)
        {
            if (!byId.Remove(a.Id, out ScoredUtterance? b))
            {
                throw new ArgumentException($"Utterance '{a.Id}' of model A is missing from (or repeated against) model B's results.", nameof(modelB));
            }

            if (!a.Reference.SequenceEqual(b.Reference, StringComparer.Ordinal) || a.Speaker != b.Speaker)
            {
                throw new ArgumentException($"Utterance '{a.Id}' has different references or speakers in the two results.", nameof(modelB));
            }

            rows.Add((a.Speaker, a.Errors.Errors, b.Errors.Errors, a.Errors.ReferenceLength));
        }

        return rows;
    }

    /// <summary>One estimate per group (e.g. <see cref="ScoredUtterance.Set"/> or <see cref="ScoredUtterance.Accent"/>), groups in ordinal order.</summary>
    public static IReadOnlyList<WerEstimate> ByGroup(IReadOnlyList<ScoredUtterance> utterances, Func<ScoredUtterance, string> group, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(group);
        return [.. utterances.GroupBy(group, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Wer([.. g], g.Key, options))];
    }

    private static Block[] Blocks(IEnumerable<(string Speaker, long ErrorsA, long ErrorsB, long Words)> rows)
    {
        var blocks = new SortedDictionary<string, Block>(StringComparer.Ordinal);
        foreach ((string speaker, long errorsA, long errorsB, long words) in rows)
        {
            blocks.TryGetValue(speaker, out Block block);
            blocks[speaker] = new Block(block.ErrorsA + errorsA, block.ErrorsB + errorsB, block.Words + words);
        }

        return [.. blocks.Values];
    }

    private static (double Lower, double Upper) Interval(Block[] blocks, BootstrapOptions options, Func<Block, long> numerator)
    {
        long[] top = [.. blocks.Select(numerator)];
        long[] bottom = [.. blocks.Select(b => b.Words)];
        var random = new Random(options.Seed);
        var replicates = new double[options.Replicates];
        for (int r = 0; r < replicates.Length; r++)
        {
            long sumTop = 0, sumBottom = 0;
            for (int k = 0; k < blocks.Length; k++)
            {
                int pick = random.Next(blocks.Length);
                sumTop += top[pick];
                sumBottom += bottom[pick];
            }

            replicates[r] = sumBottom == 0 ? 0.0 : (double)sumTop / sumBottom;
        }

        Array.Sort(replicates);
        double tail = (1.0 - options.ConfidenceLevel) / 2.0;
        int low = Math.Clamp((int)Math.Floor(tail * replicates.Length), 0, replicates.Length - 1);
        int high = Math.Clamp((int)Math.Ceiling((1.0 - tail) * replicates.Length) - 1, 0, replicates.Length - 1);
        return (replicates[low], replicates[high]);
    }

    private readonly record struct Block(long ErrorsA, long ErrorsB, long Words);
}
