using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactRnn.Serialization;
using CompactRnn.Training;
using CompactRnn.Speech.Scoring;

namespace CompactRnn.Cli.Experiments;

/// <summary>
/// The results folder of one preset: results.csv (a row per finished model), curves.csv (per-epoch losses),
/// scores/&lt;name&gt;.tsv (every scored utterance with its hypothesis, in the scoring library's hypothesis-table format), models/&lt;name&gt;.crnn
/// (git-ignored; a row with scores but no model is finished for reporting). Every write replaces the file atomically, so an
/// interrupted sweep resumes cleanly.
/// </summary>
internal sealed class ResultsStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ResultRow> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _curves = [];

    public ResultsStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(ModelsDirectory);
        System.IO.Directory.CreateDirectory(ScoresDirectory);
        if (File.Exists(ResultsPath))
        {
            // A row counts as finished when its scores are there: the models are not committed (results/*/models/ is
            // git-ignored), so a clean clone still reports and resumes; a missing model is rebuilt only where a later
            // job starts from it (ExperimentRunner). Damaged rows are skipped with a warning.
            foreach (ResultRow row in ResultsCsvReader.Read(ResultsPath, Console.Error))
            {
                if (File.Exists(ScoresPath(row.Name)))
                {
                    _rows[row.Name] = row;
                }
            }
        }

        if (File.Exists(CurvesPath))
        {
            _curves.AddRange(File.ReadAllLines(CurvesPath).Skip(1).Where(l => _rows.ContainsKey(l.Split(',')[0])));
        }
    }

    public string Directory { get; }

    public string ResultsPath => Path.Combine(Directory, "results.csv");

    public string CurvesPath => Path.Combine(Directory, "curves.csv");

    public string ModelsDirectory => Path.Combine(Directory, "models");

    public string ScoresDirectory => Path.Combine(Directory, "scores");

    public IReadOnlyList<ResultRow> Rows
    {
        get
        {
            lock (_gate)
            {
                return [.. _rows.Values];
            }
        }
    }

    public string ModelPath(string name) => Path.Combine(ModelsDirectory, name + ".crnn");

    public string ScoresPath(string name) => Path.Combine(ScoresDirectory, name + ".tsv");

    /// <summary>The scored utterances of a finished model.</summary>
    public IReadOnlyList<ScoredUtterance> Scores(string name)
        => HypothesisTable.Read(ScoresPath(name));

    /// <summary>Whether the trained model of <paramref name="name"/> is in the folder (not only its row and scores).</summary>
    public bool HasModel(string name) => File.Exists(ModelPath(name));

    public bool IsDone(string name)
    {
        lock (_gate)
        {
            return _rows.ContainsKey(name);
        }
    }

    public ResultRow? Find(string name)
    {
        lock (_gate)
        {
            return _rows.GetValueOrDefault(name);
        }
    }

    /// <summary>Records a finished model (its file must already be saved): writes its scores, then rewrites both CSVs.</summary>
    public void Add(ResultRow row, IEnumerable<EpochRecord> history, IEnumerable<ScoredUtterance> scores)
    {
        HypothesisTable.Write(ScoresPath(row.Name), scores);
        lock (_gate)
        {
            _rows[row.Name] = row;
            _curves.RemoveAll(l => l.StartsWith(row.Name + ",", StringComparison.Ordinal));
            _curves.AddRange(history.Select(h => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{row.Name},{h.Epoch},{(double.IsNaN(h.TrainLoss) ? string.Empty : h.TrainLoss.ToString("F5", System.Globalization.CultureInfo.InvariantCulture))},{h.Validation?.Loss:F5},{h.Validation?.Accuracy:F5},{h.Seconds:F1}")));
            Flush();
        }
    }

    /// <summary>Replaces rows (e.g. with measured step times) and rewrites the CSV.</summary>
    public void Update(IEnumerable<ResultRow> rows)
    {
        lock (_gate)
        {
            foreach (ResultRow row in rows)
            {
                _rows[row.Name] = row;
            }

            Flush();
        }
    }

    private void Flush()
    {
        WriteAtomically(ResultsPath, ResultRow.Header + "\n" + string.Concat(_rows.Values.Select(r => r.ToCsv() + "\n")));
        WriteAtomically(CurvesPath, "name,epoch,train_loss,dev_loss,dev_frame_acc,seconds\n" + string.Concat(_curves.Select(l => l + "\n")));
    }

    /// <summary>Replaces a results file durably and atomically (fsync, rename, directory sync), so a crash never leaves half a CSV.</summary>
    public static void WriteAtomically(string path, string text) => DurableFile.WriteAllText(path, text);
}
