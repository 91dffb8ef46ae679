namespace TrainingService.Data.Entities;

/// <summary>
/// One bucket of a run's steps at one level of the rollup ladder (level <c>k</c>: buckets of <c>16·8^k</c> steps,
/// bucket <c>b</c> holding steps <c>b·size + 1 … (b+1)·size</c>), written by the metric pump as steps arrive. The
/// bucket being filled is stored too (partial, <see cref="Count"/> below the size) and rewritten at each flush, so a
/// read can always end with the newest step. Keyed by (RunId, Level, Bucket). Added by the StepRollups migration.
/// </summary>
public sealed class StepRollup
{
    public long RunId { get; set; }
    public int Level { get; set; }
    public long Bucket { get; set; }
    public long FirstStep { get; set; }
    public long LastStep { get; set; }
    public int Count { get; set; }
    /// <summary>The last step's epoch.</summary>
    public int Epoch { get; set; }
    public double LossMin { get; set; }
    public double LossMax { get; set; }
    public double LossSum { get; set; }
    public double LossLast { get; set; }
    /// <summary>Steps that had a gradient norm (gradient-free runs have none: the four figures below are then null).</summary>
    public int GradCount { get; set; }
    public double? GradNormMin { get; set; }
    public double? GradNormMax { get; set; }
    public double? GradNormSum { get; set; }
    public double? GradNormLast { get; set; }
    /// <summary>Per layer <c>[min, max, sum, last]</c> of its gradient norm, as a JSON array of arrays.</summary>
    public required string LayerGradNorms { get; set; }
    /// <summary>The last step's learning rate, elapsed time and counters.</summary>
    public double LearningRate { get; set; }
    public double ElapsedMs { get; set; }
    public long? LossEvaluations { get; set; }
    public long? ExamplesSeen { get; set; }
}
