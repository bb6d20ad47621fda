using CompactRnn.Models;
using CompactRnn.Training;

namespace CompactRnn.Cli.Experiments;

/// <summary>The result of one training run under <see cref="PlateauRecipe"/>.</summary>
/// <param name="Model">The model of the best dev epoch.</param>
/// <param name="History">Per-epoch records; epoch 0 is the starting point (dev loss only).</param>
/// <param name="Seconds">Wall-clock seconds spent training and validating.</param>
/// <param name="Stopped">Why training stopped abnormally (divergence), or null.</param>
/// <param name="BestEpoch">The epoch whose parameters were kept (0 = the starting point).</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Updates">Parameter updates applied over all epochs run.</param>
internal sealed record PlateauOutcome(LstmModel Model, EpochRecord[] History, double Seconds, string? Stopped, int BestEpoch, int Epochs, long Updates);
