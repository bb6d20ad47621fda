using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactRnn.Cli.Speech;
using CompactRnn.Compression;
using CompactRnn.Models;
using CompactRnn.Serialization;
using CompactRnn.Speech.Data;
using Spectre.Console;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Runs a comparison in stages: (1) dense for every seed and the other kinds from scratch; (2) the dev search of the
/// hybrid layout at every budget, then the hybrids and the compressed rows; (3) the equal-training dense control.
/// Every model is trained by the one <see cref="PlateauRecipe"/>, scored on every set with the decoder tuned on dev,
/// and saved with its per-utterance scores. Finished models (and a finished search) are kept, so a rerun resumes.
/// Intervals and gaps are computed from the saved scores at the end.
/// </summary>
internal sealed class ExperimentRunner
{
    private readonly ExperimentPreset _preset;
    private readonly ResultsStore _store;
    private readonly SpeechSequenceDataset _train, _dev;
    private readonly KeyValuePair<string, string> _normalization; // recorded in every model, so eval can check a set's features against it
    private readonly IReadOnlyList<(string Name, SpeechSequenceDataset Data)> _sets;
    private readonly int _workers;
    private readonly IWerIntervals _intervals;
    private readonly Dictionary<double, LayoutSearch.Result> _hybrids = [];
    private readonly Lazy<LayoutFit> _searchFit;
    private SweepProgress? _progress;
    private PlateauRecipe _recipe;

    /// <param name="preset">Sizes, recipe and sweep.</param>
    /// <param name="dataset">The dataset (train and dev splits are used for training and tuning).</param>
    /// <param name="sets">The scored sets; the first must be the primary test set, named <c>test</c>.</param>
    /// <param name="resultsDirectory">The results folder.</param>
    /// <param name="workers">Models trained at once (one core each).</param>
    /// <param name="intervals">The bootstrap.</param>
    public ExperimentRunner(ExperimentPreset preset, SpeechDataset dataset, IReadOnlyList<(string Name, SpeechSequenceDataset Data)> sets, string resultsDirectory,
        int workers, IWerIntervals intervals)
    {
        _preset = preset;
        _recipe = preset.Recipe;
        _workers = workers;
        _intervals = intervals;
        _sets = sets;
        _store = new ResultsStore(resultsDirectory);
        _normalization = FeatureNormalizationNote.For(dataset.Normalization);
        _train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
        _dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
        if (_train.Count == 0 || _dev.Count == 0 || sets.Count == 0 || sets[0].Name != "test" || sets[0].Data.Count == 0)
        {
            throw new CliException("The dataset needs train, dev and test utterances with frame labels.");
        }

        Planner = new BudgetPlanner(preset, dataset.FeatureDimension, dataset.ClassCount);
        Plans = SweepPlan.Build(preset, Planner);
        _searchFit = new Lazy<LayoutFit>(() => LayoutFit.Activations(dataset, _train.Utterances, preset.FitUtterances, preset.SearchFitIterations));
    }

    public ResultsStore Store => _store;

    public BudgetPlanner Planner { get; }

    public IReadOnlyList<ModelPlan> Plans { get; }

    public SpeechSequenceDataset Train => _train;

    public SpeechSequenceDataset Dev => _dev;

    /// <summary>The recipe in force: the preset's, with the fine-tuning rate chosen on dev once stage 1 has finished.</summary>
    public PlateauRecipe Recipe => _recipe;

    /// <summary>The fine-tuning rate scales tried on dev, as saved in rate.csv (empty before the choice).</summary>
    public IReadOnlyList<RateFile.Entry> RateChoice => RateFile.Read(_store.Directory);

    /// <summary>The search results per budget (best first), as saved in search.csv.</summary>
    public IReadOnlyDictionary<double, IReadOnlyList<LayoutSearch.Result>> Searches => SearchFile.Read(_store.Directory, Planner);

    /// <summary>Trains and scores every model not yet in the results folder (unless <paramref name="reportOnly"/>), times streaming, and fills in the intervals.</summary>
    public IReadOnlyList<ResultRow> Run(bool reportOnly, CancellationToken cancellationToken)
    {
        if (reportOnly)
        {
            _recipe = RateFile.Read(_store.Directory) is { Count: > 0 } saved ? _preset.Recipe with { FineTuneRateScale = saved.OrderBy(r => r.DevLossAfter).First().Scale } : _preset.Recipe;
        }
        else
        {
            Say($"{Plans.Count} models, dense baseline {Planner.DenseParameters:N0} parameters; {_train.Count} train / {_dev.Count} dev / "
                + string.Join(" / ", _sets.Select(s => $"{s.Data.Count} {s.Name}")) + $" utterances ({_train.FrameCount:N0} training frames); {_workers} worker(s).");
            HashSet<string> rebuild = Rebuilds();
            if (rebuild.Count > 0)
            {
                Say($"Rebuilding {string.Join(", ", rebuild.Order(StringComparer.Ordinal))}: finished, but their models are not in the folder and pending rows start from them.");
            }

            _progress = new SweepProgress(Plans.Count, Plans.Count(p => _store.IsDone(p.Name) && !rebuild.Contains(p.Name)));
            Schedule(rebuild, cancellationToken).Run(cancellationToken);
        }

        MeasureStreaming();
        FillIntervals();
        return _store.Rows;
    }

    // Every unfinished model, the layout searches and the rate choice as jobs that start when what they need is done:
    // stage 1, then the searches and the rate, then stages 3 and 2, slowest first within a stage, one job per worker.
    // Each model trains on one thread and the searches and the rate choice are deterministic, so results do not depend
    // on the schedule; a job that is finished on disk (a resumed run) is not added and counts as done.
    private JobScheduler Schedule(HashSet<string> rebuild, CancellationToken cancellationToken)
    {
        var jobs = new JobScheduler(_workers);
        string SearchJob(double budget) => $"search-{SweepPlan.Percent(budget)}";
        const string RateJob = "rate";
        IEnumerable<ModelPlan> Stage(int stage) => Plans.Where(p => p.Stage == stage && (!_store.IsDone(p.Name) || rebuild.Contains(p.Name)))
            .OrderBy(p => p.Kind.Layout == LayoutKind.ToeplitzLike || p.Kind == PlanKind.Scratch(LayoutKind.Hybrid) ? 0 : 1);
        foreach (ModelPlan plan in Stage(1))
        {
            jobs.Add(plan.Name, [plan.Source], () => RunOne(plan, cancellationToken));
        }

        foreach (double budget in _preset.Budgets)
        {
            jobs.Add(SearchJob(budget), ["dense"], () =>
            {
                LayoutSearch.Result chosen = ChooseHybrid(budget, cancellationToken);
                lock (_hybrids)
                {
                    _hybrids[budget] = chosen;
                }
            });
        }

        jobs.Add(RateJob, [SearchJob(_preset.Budgets[0])], () => _recipe = _preset.Recipe with { FineTuneRateScale = ChooseFineTuneScale(cancellationToken) });
        // The equal-training control comes first among the rest: it decides the bar, so it starts as soon as its source is done.
        foreach (ModelPlan plan in Stage(3).Concat(Stage(2)))
        {
            jobs.Add(plan.Name, [plan.Source, plan.MatchEpochsOf, plan.NeedsHybridLayout ? SearchJob(plan.Budget) : null, plan.FromDense ? RateJob : null],
                () => RunOne(plan, cancellationToken));
        }

        return jobs;
    }

    // Finished rows whose model is missing but that a pending job starts from (SourceRebuilds).
    private HashSet<string> Rebuilds()
    {
        var searches = SearchFile.Read(_store.Directory, Planner);
        bool searchPending = _preset.Budgets.Any(b => !searches.ContainsKey(b)) || RateFile.Read(_store.Directory).Count == 0;
        return SourceRebuilds.Find(Plans, _store.IsDone, _store.HasModel, searchPending);
    }

    // The hybrid layout of a budget, chosen on dev by LayoutSearch from the seed-1 dense model, each candidate's Toeplitz-like
    // layers fitted to its activations; saved (with the fit), so a rerun reuses it.
    private LayoutSearch.Result ChooseHybrid(double budget, CancellationToken cancellationToken)
    {
        if (SearchFile.Read(_store.Directory, Planner).TryGetValue(budget, out var saved))
        {
            return saved[0];
        }

        LayoutFit fit = _searchFit.Value;
        Say($"Choosing the hybrid layout at {budget:P0} on dev ({Planner.Hybrids(budget).Count} candidates; Toeplitz-like layers by the activation fit on "
            + $"{fit.Utterances.Count} training utterances, {fit.Iterations} L-BFGS iterations per layer; then one epoch on {_preset.SearchUtterances} training utterances).");
        LstmModel dense = LstmModel.Load(_store.ModelPath("dense"));
        var fitSet = LayoutSearch.Subset(_train, _preset.SearchUtterances, _preset.Recipe.Seed);
        var ranked = LayoutSearch.Rank(dense, Planner.Hybrids(budget), fit, fitSet, _dev, _preset.Recipe, 1, line => Say($"  {line}"), cancellationToken);
        SearchFile.Append(_store.Directory, budget, ranked);
        Say($"Chosen at {budget:P0}: {ranked[0].Candidate.Label}.");
        return ranked[0];
    }

    // The fit of a compressed row: the method its layout was searched with, the activation fit with the preset's full
    // iteration count (the search's shorter fit only ranks layouts).
    private LayoutFit RowFit(ToeplitzFit? method) => method switch
    {
        ToeplitzFit.Activations => _searchFit.Value.WithIterations(_preset.FitIterations),
        ToeplitzFit.Exact => LayoutFit.WithoutData(ToeplitzFit.Exact),
        _ => LayoutFit.DisplacementSvd,
    };

    // The fine-tuning rate of every compressed row (and of dense-long), chosen on dev: the primary hybrid compressed from the
    // seed-1 dense model and fitted briefly at each scale of PlateauRecipe.FineTuneRateScales; saved, so a rerun reuses it.
    private float ChooseFineTuneScale(CancellationToken cancellationToken)
    {
        if (RateFile.Read(_store.Directory) is { Count: > 0 } saved)
        {
            return saved.OrderBy(r => r.DevLossAfter).First().Scale;
        }

        LayoutSearch.Result hybrid;
        lock (_hybrids)
        {
            hybrid = _hybrids[_preset.Budgets[0]];
        }

        Say($"Choosing the fine-tuning rate on dev: {hybrid.Candidate.Label} at {string.Join(", ", PlateauRecipe.FineTuneRateScales.Select(s => $"{s}×"))} the peak rate.");
        LstmModel dense = LstmModel.Load(_store.ModelPath("dense"));
        var fitSet = LayoutSearch.Subset(_train, _preset.SearchUtterances, _preset.Recipe.Seed);
        var results = new ConcurrentBag<RateFile.Entry>();
        Parallel.ForEach(PlateauRecipe.FineTuneRateScales, new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken }, scale =>
        {
            var fit = LayoutSearch.Fit(dense, hybrid.Candidate, RowFit(hybrid.Fit), fitSet, _dev, _preset.Recipe, _preset.Recipe.LearningRate * scale, cancellationToken);
            results.Add(new RateFile.Entry(scale, fit.DevLossBefore, fit.DevLossAfter));
            Say($"  {scale}×: dev loss {fit.DevLossBefore:F3} → {fit.DevLossAfter:F3}");
        });
        var ordered = results.OrderBy(r => r.Scale).ToList();
        RateFile.Write(_store.Directory, ordered);
        float chosen = ordered.OrderBy(r => r.DevLossAfter).First().Scale;
        Say($"Fine-tuning rate chosen on dev: {chosen}× the peak rate.");
        return chosen;
    }

    private void RunOne(ModelPlan plan, CancellationToken cancellationToken)
    {
        LayoutCandidate? layout;
        ToeplitzFit? method;
        lock (_hybrids)
        {
            (layout, method) = plan.NeedsHybridLayout ? (_hybrids[plan.Budget].Candidate, _hybrids[plan.Budget].Fit)
                : (plan.Layout, plan.Layout is { HasToeplitzLayers: true } ? ToeplitzFit.Activations : null);
        }

        PlateauRecipe recipe = _recipe with { Seed = plan.Seed };
        LstmNetwork network;
        float[] parameters;
        float rate = recipe.LearningRate;
        int fixedEpochs = 0;
        long earlierUpdates = 0;
        if (plan.Source is { } source)
        {
            LstmModel dense = LstmModel.Load(_store.ModelPath(source));
            LstmModel start = layout is null ? dense : layout.Compress(dense, RowFit(method));
            network = start.Network;
            parameters = start.Parameters.ToArray();
            rate = recipe.FineTuneRate;
            earlierUpdates = _store.Find(source)!.Updates;
            if (plan.MatchEpochsOf is { } matched)
            {
                fixedEpochs = _store.Find(matched)?.Epochs ?? throw new CliException($"{plan.Name} needs {matched} to have finished.");
            }
        }
        else
        {
            network = new LstmNetwork(Planner.Options(layout?.Spec ?? Planner.DenseSpec));
            parameters = new float[network.ParameterCount];
            network.Initialize(parameters, recipe.Seed);
        }

        Say($"{_progress?.Start()}: {plan.Name}: {NetworkSpec.Format(network.Options.Layers)}, {network.ParameterCount:N0} parameters, starts{(plan.Source is null ? " from scratch" : " from " + plan.Source)}.");
        var progress = new SynchronousProgress(line => Say($"{plan.Name}: {line}"));
        PlateauOutcome outcome = recipe.Train(network, parameters, _train, _dev, rate, fixedEpochs, progress, cancellationToken);
        IReadOnlyList<ScoredSet> scored = ModelScorer.Score(outcome.Model, _dev, _sets);
        ScoredSet test = scored.First(s => s.Name == "test");
        double SetWer(string name) => scored.FirstOrDefault(s => s.Name == name)?.Wer ?? double.NaN;
        ModelAnnotations.Save(outcome.Model, _store.ModelPath(plan.Name), new Dictionary<string, string>([_normalization]));
        string spec = NetworkSpec.Format(network.Options.Layers) + (outcome.Stopped is null ? string.Empty : $" [{outcome.Stopped}]");
        var row = new ResultRow(plan.Name, plan.Kind, spec, plan.Seed, network.ParameterCount, (double)network.ParameterCount / Planner.DenseParameters,
            4L * network.ParameterCount, test.Wer, Interval.Unknown, string.Empty, double.NaN, Interval.Unknown, SetWer("dev"), SetWer(ExtraSets.UnseenAccent),
            SetWer(ExtraSets.CrossSynth), test.FrameAccuracy, outcome.Epochs, outcome.BestEpoch, earlierUpdates + outcome.Updates, outcome.Seconds, double.NaN,
            test.Totals.Substitutions, test.Totals.Deletions, test.Totals.Insertions, test.SentenceErrorRate);
        if (_store.Find(plan.Name) is { } recorded)
        {
            // A rebuilt source: the same seed and recipe must give the recorded result, or the rows trained from it would
            // not belong with the rows already in the folder. Compared as results.csv holds them (error counts, rates to 4 decimals).
            bool same = recorded.ScoreFields() == row.ScoreFields();
            Say($"{plan.Name}: rebuilt model {(same ? "reproduces its recorded row" : "DIFFERS from its recorded row (data, settings or code changed since): treat the folder's rows as from different runs")}: "
                + $"test WER {row.Wer:F2} % (recorded {recorded.Wer:F2} %), dev WER {row.DevWer:F2} % (recorded {recorded.DevWer:F2} %), errors S/D/I {row.Substitutions}/{row.Deletions}/{row.Insertions} (recorded {recorded.Substitutions}/{recorded.Deletions}/{recorded.Insertions}).");
        }

        _store.Add(row, outcome.History, scored.SelectMany(s => s.Utterances));
        Say($"{plan.Name}: test WER {test.Wer:F2}% at {row.ParamsRatio:P1} of dense; {outcome.Epochs} epochs (best {outcome.BestEpoch}), {outcome.Seconds:F0} s; {_progress?.Finish()}.");
    }

    // Streaming step time is measured after training, one model at a time, so no training run of this process competes for the cores.
    private void MeasureStreaming()
    {
        var updated = new List<ResultRow>();
        foreach (ResultRow row in _store.Rows.Where(r => double.IsNaN(r.StepMicroseconds) && _store.HasModel(r.Name)))
        {
            updated.Add(row with { StepMicroseconds = StreamingTimer.MedianStepMicroseconds(LstmModel.Load(_store.ModelPath(row.Name)), _sets[0].Data) });
        }

        if (updated.Count > 0)
        {
            _store.Update(updated);
        }
    }

    // Every row's WER interval on test, and its gap to the dense model of the same seed with the paired interval.
    private void FillIntervals()
    {
        var tests = _store.Rows.ToDictionary(r => r.Name, r => (IReadOnlyList<ScoredUtterance>)_store.Scores(r.Name).Where(s => s.Set == "test").ToList(), StringComparer.Ordinal);
        var updated = new List<ResultRow>();
        foreach (ResultRow row in _store.Rows)
        {
            string reference = SweepPlan.Seeded("dense", row.Seed);
            ResultRow? dense = _store.Find(reference);
            bool paired = dense is not null && row.Name != reference;
            updated.Add(row with
            {
                WerCi = _intervals.Wer(tests[row.Name]),
                Reference = paired ? reference : string.Empty,
                Gap = paired ? row.Wer - dense!.Wer : double.NaN,
                GapCi = paired ? _intervals.Difference(tests[row.Name], tests[reference]) : Interval.Unknown,
            });
        }

        _store.Update(updated);
    }

    private static readonly object ConsoleGate = new();

    private static void Say(string line)
    {
        lock (ConsoleGate)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.UtcNow:HH:mm:ss}[/] {line}");
        }
    }

    // Progress<T> posts to the thread pool, which reorders lines from two workers; this reports at once.
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
