using System;
using System.Collections.Generic;
using System.Linq;
using CompactRnn.Speech.Data;

namespace CompactRnn.Speech.Decoding;

/// <summary>
/// Lexicon-constrained Viterbi decoder for a word-loop grammar (hybrid NN/HMM): sil? (word sil?)+.
/// Each pronunciation variant of each word is a left-to-right chain of its phones' sub-state classes (see
/// <see cref="SpeechDataset.FrameClass"/>), each sub-state lasting at least MinimumFramesPerState frames
/// (a chain of that many HMM states, the last with a self-loop); silence (class 0) may precede, separate and
/// follow words.
/// State emission scores are κ·(log P(c | x_t) − α·log P(c)); each word entry costs the insertion penalty;
/// transition probabilities are uniform (left out). The search is exact Viterbi over all states with
/// token passing: each state carries the word history of its best path as a link into a per-utterance
/// list, so no per-frame backpointer matrix is kept. Cost O(frames · states); not thread-safe.
/// </summary>
public sealed class DigitLoopDecoder
{
    private const int NoHistory = -1;

    private readonly DecoderGraph _graph;
    private readonly float[] _logPriors;
    private readonly DecoderOptions _options;
    private readonly List<(int Word, int Previous)> _links = [];
    private double[] _score;
    private double[] _next;
    private int[] _history;
    private int[] _nextHistory;

    /// <summary>Builds the decoding graph from <paramref name="lexicon"/>.</summary>
    /// <param name="lexicon">Words and pronunciation variants (phone indices, phone 0 being silence).</param>
    /// <param name="statesPerPhone">Sub-state classes per phone (<see cref="SpeechDataset.StatesPerPhone"/>).</param>
    /// <param name="logPriors">log P(c) for each frame class (e.g. <see cref="SpeechDataset.ComputeLogPriors"/>); its length is the class count.</param>
    /// <param name="options">Scales and penalties; null for the defaults.</param>
    public DigitLoopDecoder(IReadOnlyList<LexiconEntry> lexicon, int statesPerPhone, ReadOnlySpan<float> logPriors, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentOutOfRangeException.ThrowIfLessThan(statesPerPhone, 1);
        int classCount = logPriors.Length;
        if (classCount < 2)
        {
            throw new ArgumentException($"Expected at least 2 classes, got {classCount} log-priors.", nameof(logPriors));
        }

        _options = options ?? new DecoderOptions();
        if (_options.MinimumFramesPerState < 1 || _options.MinimumFramesPerState > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MinimumFramesPerState, "MinimumFramesPerState must lie in 1..20.");
        }

        if (!float.IsFinite(_options.AcousticScale) || _options.AcousticScale <= 0f || !float.IsFinite(_options.PriorScale) || !float.IsFinite(_options.WordInsertionPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options, "Scales must be finite and the acoustic scale positive.");
        }

        _graph = DecoderGraph.Build(lexicon, classCount, statesPerPhone, _options.MinimumFramesPerState);
        _logPriors = logPriors.ToArray();
        ClassCount = classCount;
        _score = new double[_graph.StateCount];
        _next = new double[_graph.StateCount];
        _history = new int[_graph.StateCount];
        _nextHistory = new int[_graph.StateCount];
    }

    /// <summary>Number of classes per frame the decoder expects.</summary>
    public int ClassCount { get; }

    /// <summary>Number of HMM states in the graph.</summary>
    public int StateCount => _graph.StateCount;

    /// <summary>The options in use.</summary>
    public DecoderOptions Options => _options;

    /// <summary>
    /// Creates a decoder from a dataset's training split only (<see cref="DecoderInputs.FromTraining"/>):
    /// training priors with the untrained-class floor, and the lexicon without pronunciations that use
    /// untrained classes.
    /// </summary>
    public static DigitLoopDecoder Create(SpeechDataset dataset, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Create(DecoderInputs.FromTraining(dataset), dataset.StatesPerPhone, options);
    }

    /// <summary>Creates a decoder from prepared <paramref name="inputs"/> (e.g. a reference dataset's training split).</summary>
    public static DigitLoopDecoder Create(DecoderInputs inputs, int statesPerPhone, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new DigitLoopDecoder(inputs.Lexicon, statesPerPhone, inputs.LogPriors.ToArray(), options);
    }

    /// <summary>Best word sequence for log-posteriors row-major [frames, ClassCount]; empty if no frames.</summary>
    /// <exception cref="ArgumentException">A length mismatch, or a NaN or +∞ log-posterior (−∞, a zero posterior, is fine); the message names the frame and class.</exception>
    public string[] Decode(ReadOnlySpan<float> logPosteriors, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (logPosteriors.Length != (long)frames * ClassCount)
        {
            throw new ArgumentException($"Expected {frames}·{ClassCount} log-posteriors, got {logPosteriors.Length}.", nameof(logPosteriors));
        }

        // A diverged model's NaN would make every comparison false and leave no best path to trace back.
        int bad = FirstNaNOrPositiveInfinity(logPosteriors);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"Log-posterior at frame {bad / ClassCount}, class {bad % ClassCount} is {logPosteriors[bad]}; the acoustic model's outputs are not finite (did training diverge?).",
                nameof(logPosteriors));
        }

        if (frames == 0)
        {
            return [];
        }

        _links.Clear();
        DecoderGraph g = _graph;
        double kappa = _options.AcousticScale;
        double alpha = _options.PriorScale;
        double penalty = _options.WordInsertionPenalty;
        Span<double> emission = stackalloc double[ClassCount];

        // Before frame 0 only the grammar start exists: it can enter leading silence or a first word.
        double entryScore = 0.0;
        int entryHistory = NoHistory;
        double wordEndScore = double.NegativeInfinity;
        int wordEndHistory = NoHistory;
        Array.Fill(_score, double.NegativeInfinity);

        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> row = logPosteriors.Slice(t * ClassCount, ClassCount);
            for (int c = 0; c < ClassCount; c++)
            {
                emission[c] = kappa * (row[c] - (alpha * _logPriors[c]));
            }

            // Leading silence: from the start (t = 0) or its own self-loop.
            _next[DecoderGraph.LeadingSilence] = emission[g.StateClass[DecoderGraph.LeadingSilence]] + (t == 0 ? 0.0 : _score[DecoderGraph.LeadingSilence]);
            _nextHistory[DecoderGraph.LeadingSilence] = NoHistory;

            // Inter-word (and trailing) silence: after a word end or its own self-loop.
            int s1 = DecoderGraph.WordSilence;
            bool fromWord = wordEndScore > _score[s1];
            _next[s1] = emission[g.StateClass[s1]] + (fromWord ? wordEndScore : _score[s1]);
            _nextHistory[s1] = fromWord ? wordEndHistory : _history[s1];

            double enter = entryScore - penalty;
            for (int s = DecoderGraph.FirstWordState; s < g.StateCount; s++)
            {
                double best = g.SelfLoop[s] ? _score[s] : double.NegativeInfinity;
                int history = _history[s];
                double from = g.IsWordStart[s] ? enter : _score[s - 1];
                if (from > best)
                {
                    best = from;
                    history = g.IsWordStart[s] ? entryHistory : _history[s - 1];
                }

                _next[s] = best + emission[g.StateClass[s]];
                _nextHistory[s] = history;
            }

            (_score, _next) = (_next, _score);
            (_history, _nextHistory) = (_nextHistory, _history);

            // Best word end after frame t becomes a new history link.
            wordEndScore = double.NegativeInfinity;
            int bestEnd = -1;
            foreach (int end in g.WordEndStates)
            {
                if (_score[end] > wordEndScore)
                {
                    wordEndScore = _score[end];
                    bestEnd = end;
                }
            }

            if (bestEnd >= 0 && !double.IsNegativeInfinity(wordEndScore))
            {
                _links.Add((g.WordOfState[bestEnd], _history[bestEnd]));
                wordEndHistory = _links.Count - 1;
            }

            // Where the next word may start: after a word, after leading silence or after inter-word silence.
            entryScore = wordEndScore;
            entryHistory = wordEndHistory;
            if (_score[DecoderGraph.LeadingSilence] > entryScore)
            {
                entryScore = _score[DecoderGraph.LeadingSilence];
                entryHistory = NoHistory;
            }

            if (_score[s1] > entryScore)
            {
                entryScore = _score[s1];
                entryHistory = _history[s1];
            }
        }

        // Final: the grammar must end after a word, optionally followed by silence.
        int final = wordEndScore >= _score[DecoderGraph.WordSilence] ? wordEndHistory : _history[DecoderGraph.WordSilence];
        if (double.IsNegativeInfinity(Math.Max(wordEndScore, _score[DecoderGraph.WordSilence])))
        {
            return [];
        }

        var words = new List<string>();
        for (int link = final; link != NoHistory; link = _links[link].Previous)
        {
            words.Add(g.Words[_links[link].Word]);
        }

        words.Reverse();
        return [.. words];
    }

    private static int FirstNaNOrPositiveInfinity(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]) || float.IsPositiveInfinity(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
