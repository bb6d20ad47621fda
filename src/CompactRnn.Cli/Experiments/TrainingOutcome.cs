using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>A trained model, its per-epoch history, the wall-clock seconds spent training, and why training stopped early (or null).</summary>
internal sealed record TrainingOutcome(LstmModel Model, EpochRecord[] History, double Seconds, string? Diverged = null);
