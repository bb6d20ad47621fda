using System.Collections.Generic;

namespace CompactRnn.Cli.Experiments;

/// <summary>The sizes and recipe of one comparison run. Every model of a preset shares the recipe and the seed.</summary>
/// <param name="Name">The preset's name, also the results folder name.</param>
/// <param name="DefaultData">The dataset file used when none is given.</param>
/// <param name="Layers">LSTMP layers.</param>
/// <param name="HiddenSize">Cells per layer.</param>
/// <param name="ProjectionSize">Projection size of the dense baseline.</param>
/// <param name="Recipe">How every model is trained.</param>
/// <param name="FineTuneEpochs">Epochs of fine-tuning after compressing the trained dense model.</param>
/// <param name="Budgets">Target parameter fractions of the dense model.</param>
/// <param name="FineTuneDistillation">Weight α of the dense model's posteriors in the frame targets while fine-tuning a model
/// compressed from it (knowledge distillation with the dense model as the teacher; 0 = labels only).</param>
internal sealed record ExperimentPreset(
    string Name, string DefaultData, int Layers, int HiddenSize, int ProjectionSize, TrainingRecipe Recipe, int FineTuneEpochs, IReadOnlyList<double> Budgets,
    float FineTuneDistillation)
{
    /// <summary>The embedded default data and a small model: the whole comparison in about 15 minutes on 2 cores.</summary>
    public static ExperimentPreset Quick { get; } = new(
        "quick", "data/digits-default.crds", Layers: 2, HiddenSize: 128, ProjectionSize: 64,
        new TrainingRecipe(Epochs: 6, BatchSize: 16, LearningRate: 3e-3f, ChunkLength: 0, ClipNorm: 5f, Seed: 1),
        FineTuneEpochs: 2, Budgets: [0.5, 0.25, 0.2, 0.125], FineTuneDistillation: 0f);

    /// <summary>The generated ≥ 10 h set and a paper-like 3-layer LSTMP, sized for about 90 minutes on 2 cores.</summary>
    public static ExperimentPreset Full { get; } = new(
        "full", "data/digits-full.crds", Layers: 3, HiddenSize: 192, ProjectionSize: 96,
        new TrainingRecipe(Epochs: 1, BatchSize: 32, LearningRate: 3e-3f, ChunkLength: 0, ClipNorm: 5f, Seed: 1),
        FineTuneEpochs: 1, Budgets: [0.5, 0.25, 0.2, 0.125], FineTuneDistillation: 0f);

    /// <summary>Finds a preset by name.</summary>
    public static ExperimentPreset Get(string name) => name switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new CliException($"Unknown preset '{name}'. Use 'quick' or 'full'."),
    };
}
