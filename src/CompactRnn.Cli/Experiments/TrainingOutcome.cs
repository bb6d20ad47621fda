using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>A trained model, its per-epoch history and the wall-clock seconds spent training.</summary>
internal sealed record TrainingOutcome(LstmModel Model, EpochRecord[] History, double Seconds);
