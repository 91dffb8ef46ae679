using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training;

/// <summary>
/// Where a run stands, besides its weights: the position (epoch, step), the batch-order RNG, the schedule, early
/// stopping (best loss, patience used, the best epoch, its metrics and weights), the counters, the last epoch's
/// metrics and the optimizer's or the search's state. The session trains on one of these; a
/// <see cref="Checkpoint"/> is the weights and a copy of it, serialized as it stands.
/// </summary>
public sealed class SessionState
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; set; }
    /// <summary>The batch-order RNG (xoshiro256** words), as of the last checkpoint or restore.</summary>
    public ulong[] RngState { get; set; } = [];
    public ScheduleState Schedule { get; set; }
    public double EarlyStopBest { get; set; } = double.PositiveInfinity;
    public int EarlyStopBadEpochs { get; set; }
    /// <summary>The best validation epoch so far, its metrics and (with restoreBestWeights) its weights.</summary>
    public int? BestEpoch { get; set; }
    public EpochMetrics? BestEpochMetrics { get; set; }
    public float[]? BestParameters { get; set; }
    public double TrainSeconds { get; set; }
    public long SamplesSeen { get; set; }
    public long LossEvaluations { get; set; }
    public EpochMetrics? LastEpoch { get; set; }
    /// <summary>The gradient optimizer's state, or null (a search, or a checkpoint without one).</summary>
    public OptimizerState? Optimizer { get; set; }
    /// <summary>The gradient-free trainer's state, or null.</summary>
    public SearchState? Search { get; set; }
    /// <summary>Each dropout layer's mask stream (xoshiro256** words), in layer order; empty without dropout.</summary>
    public ulong[][] LayerRngStates { get; set; } = [];
    /// <summary>The range test's losses so far (steps 1…n), or null for other schedules.</summary>
    public double[]? RangeLosses { get; set; }

    /// <summary>A copy sharing nothing mutable with this one (the records inside are immutable).</summary>
    public SessionState Clone()
    {
        var c = (SessionState)MemberwiseClone();
        c.RngState = (ulong[])RngState.Clone();
        c.LayerRngStates = [.. LayerRngStates.Select(s => (ulong[])s.Clone())];
        c.BestParameters = (float[]?)BestParameters?.Clone();
        c.RangeLosses = (double[]?)RangeLosses?.Clone();
        return c;
    }
}
