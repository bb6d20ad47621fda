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
using CompactRnn.Speech.Decoding;
using CompactRnn.Training;
using Spectre.Console;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// Runs a comparison: trains the dense baseline and every compact kind at every budget with one recipe and
/// seed, scores each on the held-out-speaker test split (decoder tuned on dev), times streaming, and writes
/// the results folder. Finished models are skipped on a rerun, so an interrupted sweep resumes.
/// </summary>
internal sealed class ExperimentRunner
{
    private readonly ExperimentPreset _preset;
    private readonly ResultsStore _store;
    private readonly SpeechDataset _dataset;
    private readonly SpeechSequenceDataset _train, _dev, _test;
    private readonly BudgetPlanner _planner;
    private readonly int _workers;

    public ExperimentRunner(ExperimentPreset preset, SpeechDataset dataset, string resultsDirectory, int workers)
    {
        _preset = preset;
        _dataset = dataset;
        _workers = workers;
        _store = new ResultsStore(resultsDirectory);
        _train = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Train));
        _dev = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Dev));
        _test = new SpeechSequenceDataset(dataset, dataset.GetSplit(DatasetSplit.Test));
        if (_train.Count == 0 || _dev.Count == 0 || _test.Count == 0)
        {
            throw new CliException("The dataset needs train, dev and test utterances with frame labels.");
        }

        _planner = new BudgetPlanner(preset, dataset.FeatureDimension, dataset.ClassCount);
    }

    public ResultsStore Store => _store;

    public BudgetPlanner Planner => _planner;

    public SpeechSequenceDataset Train => _train;

    /// <summary>
    /// Trains and scores every model not yet in the results folder (unless <paramref name="reportOnly"/>), then
    /// times streaming for every finished model that has no step time yet.
    /// </summary>
    public IReadOnlyList<ResultRow> Run(bool reportOnly, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelPlan> plans = _planner.Plan();
        if (reportOnly)
        {
            MeasureStreaming(plans);
            return _store.Rows;
        }

        AnsiConsole.MarkupLineInterpolated($"[bold]{plans.Count} models[/], dense baseline {_planner.DenseParameters:N0} parameters; {_train.Count} train / {_dev.Count} dev / {_test.Count} test utterances ({_train.FrameCount:N0} training frames); {_workers} worker(s).");
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var tasks = plans.ToDictionary(p => p.Name, p => context.AddTask(Markup.Escape(p.Name), autoStart: false, maxValue: 1));
                foreach (ModelPlan done in plans.Where(p => _store.IsDone(p.Name)))
                {
                    tasks[done.Name].Description = Markup.Escape($"{done.Name} (done earlier)");
                    tasks[done.Name].Value = 1;
                    tasks[done.Name].StopTask();
                }

                // Phase 1: everything trained from scratch; phase 2: compressed from the trained dense model. Within a
                // phase the slowest kinds start first and each worker takes one model at a time (no static ranges),
                // so the two workers finish together. Each model is trained on one thread, so results do not depend
                // on the schedule.
                foreach (var phase in new[] { plans.Where(p => !p.FromDense), plans.Where(p => p.FromDense) })
                {
                    var pending = phase.Where(p => !_store.IsDone(p.Name)).OrderBy(p => StartOrder(p.Kind)).ToList();
                    Parallel.ForEach(Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering),
                        new ParallelOptions { MaxDegreeOfParallelism = _workers, CancellationToken = cancellationToken },
                        plan => RunOne(plan, tasks[plan.Name], cancellationToken));
                }
            });

        MeasureStreaming(plans);
        return _store.Rows;
    }

    // Slowest first: Toeplitz-like layers train at a fraction of the dense speed at these sizes.
    private static int StartOrder(string kind) => kind switch
    {
        "dense" => 0,
        "toeplitz" => 1,
        "hybrid" => 2,
        "hybrid-svd" => 2,
        _ => 3,
    };

    private void RunOne(ModelPlan plan, ProgressTask task, CancellationToken cancellationToken)
    {
        task.StartTask();
        LstmNetwork network;
        float[] parameters;
        int epochs = _preset.Recipe.Epochs;
        float rate = _preset.Recipe.LearningRate;
        LstmModel? teacher = null;
        if (plan.FromDense)
        {
            LstmModel dense = LstmModel.Load(_store.ModelPath("dense"));
            LstmModel compressed = plan.Kind switch
            {
                "lowrank-svd" => ModelCompressor.ToLowRank(dense, RankRule.Fixed(plan.Rank)),
                "hybrid-svd" => ModelCompressor.ToHybrid(dense, plan.DisplacementRank, plan.Rank, Math.Max(1, (_preset.Layers + 1) / 2)),
                _ => ModelCompressor.ToSharedLowRank(dense, RankRule.Fixed(plan.Rank)),
            };
            teacher = _preset.FineTuneDistillation > 0 ? dense : null;
            network = compressed.Network;
            parameters = compressed.Parameters.ToArray();
            epochs = _preset.FineTuneEpochs;
            rate *= 0.3f; // fine-tuning starts from a good point: a gentler peak rate
        }
        else
        {
            network = new LstmNetwork(_planner.Options(plan.Spec));
            parameters = new float[network.ParameterCount];
            network.Initialize(parameters, _preset.Recipe.Seed);
        }

        var progress = new Progress<TrainingProgress>(p =>
        {
            task.Value = Math.Min(0.98, (p.Epoch - 1 + p.EpochFraction) / epochs);
            task.Description = Markup.Escape(p.ValidationLoss is { } v
                ? $"{plan.Name} epoch {p.Epoch}/{epochs} dev loss {v:F3} acc {p.ValidationAccuracy:P1}"
                : $"{plan.Name} epoch {p.Epoch}/{epochs} loss {p.TrainLoss:F3} {p.FramesPerSecond:N0} frames/s");
        });
        TrainingOutcome outcome = _preset.Recipe.Train(network, parameters, _train, _dev, epochs, rate, progress, cancellationToken,
            teacher, _preset.FineTuneDistillation);
        task.Description = Markup.Escape($"{plan.Name}: decoding");
        var (testResult, devWer) = Score(outcome.Model);
        outcome.Model.Save(_store.ModelPath(plan.Name));
        string spec = NetworkSpec.Format(network.Options.Layers) + (outcome.Diverged is null ? string.Empty : $" [{outcome.Diverged}; scored with the last good parameters]");
        _store.Add(new ResultRow(plan.Name, plan.Kind, spec, network.ParameterCount,
            (double)network.ParameterCount / _planner.DenseParameters, 4L * network.ParameterCount, 100 * testResult.WordErrorRate,
            testResult.WordErrors.Substitutions, testResult.WordErrors.Deletions, testResult.WordErrors.Insertions, 100 * testResult.SentenceErrorRate,
            100 * testResult.FrameAccuracy, 100 * devWer, outcome.Seconds, double.NaN, _preset.Recipe.Seed), outcome.History);
        task.Value = 1;
        task.Description = Markup.Escape($"{plan.Name}: WER {100 * testResult.WordErrorRate:F2}% at {(double)network.ParameterCount / _planner.DenseParameters:P1} of dense");
        task.StopTask();
    }

    /// <summary>Test-split result with the decoder tuned on dev, and the dev WER at that setting.</summary>
    public (CompactRnn.Speech.Decoding.EvaluationResult Test, double DevWer) Score(LstmModel model)
    {
        float[][] devPosteriors = AcousticScorer.LogPosteriors(model, _dev);
        DecoderOptions options = DecoderTuning.Tune(_dataset, _dev, devPosteriors);
        var decoder = DigitLoopDecoder.Create(_dataset, options);
        double devWer = AcousticScorer.Score(_dev, devPosteriors, decoder).WordErrorRate;
        return (AcousticScorer.Score(_test, AcousticScorer.LogPosteriors(model, _test), decoder), devWer);
    }

    // Streaming step time is measured after training, one model at a time, so no training run competes for the cores.
    private void MeasureStreaming(IReadOnlyList<ModelPlan> plans)
    {
        var updated = new List<ResultRow>();
        foreach (ModelPlan plan in plans)
        {
            if (_store.Find(plan.Name) is { } row && double.IsNaN(row.StepMicroseconds))
            {
                updated.Add(row with { StepMicroseconds = StreamingTimer.MedianStepMicroseconds(LstmModel.Load(_store.ModelPath(plan.Name)), _test) });
            }
        }

        if (updated.Count > 0)
        {
            _store.Update(updated);
        }
    }
}
