namespace TrainingService.Data.Entities;

/// <summary>One optimizer step. Keyed by (RunId, Step): a step stored twice is a constraint error, never a silent duplicate.</summary>
public sealed class StepMetric
{
    public long RunId { get; set; }
    public long Step { get; set; }
    public int Epoch { get; set; }
    public double Loss { get; set; }
    public double? GradNorm { get; set; }
    /// <summary>Per-layer gradient norms as a JSON array of numbers.</summary>
    public required string LayerGradNorms { get; set; }
    public double LearningRate { get; set; }
    public double ElapsedMs { get; set; }
    /// <summary>The two parameters (w, b) after the step for a 2-parameter model, as a JSON array; else null.
    /// Added by the Diagnostics migration.</summary>
    public string? Point { get; set; }
    /// <summary>Loss evaluations so far (forward passes over a batch; null for rows stored before the StepCounters migration).</summary>
    public long? LossEvaluations { get; set; }
    /// <summary>Training rows consumed so far (null for rows stored before the StepCounters migration).</summary>
    public long? ExamplesSeen { get; set; }
}

/// <summary>End-of-epoch figures, keyed by (RunId, Epoch).</summary>
public sealed class EpochMetric
{
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public double TrainLoss { get; set; }
    public double? TrainAccuracy { get; set; }
    public double? ValidationLoss { get; set; }
    public double? ValidationAccuracy { get; set; }
    public double LearningRate { get; set; }
    /// <summary>Per layer, the fraction of saturated sigmoid/tanh units (JSON array, null entries for other
    /// activations); null when no layer has such units. Added by the Diagnostics migration.</summary>
    public string? SaturatedFraction { get; set; }
}

/// <summary>The latest epoch-boundary checkpoint of a run (overwritten each epoch): the engine's serialized state.</summary>
public sealed class RunCheckpoint
{
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public long Step { get; set; }
    public required byte[] Data { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A succeeded run's model file (the engine's ModelFile JSON), added by the second migration.</summary>
public sealed class RunModel
{
    public long RunId { get; set; }
    public required string Json { get; set; }
}
