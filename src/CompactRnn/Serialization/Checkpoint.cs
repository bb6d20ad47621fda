namespace CompactRnn.Serialization;

/// <summary>A training checkpoint read by <see cref="CheckpointFile.Read"/>.</summary>
public sealed class Checkpoint
{
    internal Checkpoint(ModelFileContents model, byte[] trainerState, OptimizerState optimizer, float[]? bestParameters = null)
    {
        Model = model;
        BestParameters = bestParameters;
        TrainerState = trainerState;
        Optimizer = optimizer;
    }

    /// <summary>Kind tag, configuration and parameters, as in a model file.</summary>
    public ModelFileContents Model { get; }

    /// <summary>The parameters of the best epoch so far (by validation loss), or null when none were saved.</summary>
    public float[]? BestParameters { get; }

    /// <summary>The opaque trainer state, exactly as written.</summary>
    public byte[] TrainerState { get; }

    /// <summary>The saved optimiser state (kind, step count, slots); restore it with <c>Optimizer.RestoreState</c>.</summary>
    public OptimizerState Optimizer { get; }
}
