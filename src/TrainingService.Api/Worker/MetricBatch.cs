using TrainingService.Api.Contracts;

namespace TrainingService.Api.Worker;

/// <summary>What one flush stores in one transaction: the steps read since the last flush, the epoch ends among them
/// and the latest checkpoint (only the last one is kept: each overwrites the previous).</summary>
internal sealed class MetricBatch
{
    public List<StepPoint> Steps { get; } = [];
    public List<EpochItem> Epochs { get; } = [];
    public CheckpointItem? Checkpoint { get; set; }

    public bool IsEmpty => Steps.Count == 0 && Epochs.Count == 0 && Checkpoint is null;

    /// <summary>The run's progress after this batch.</summary>
    public long LastStep => Math.Max(Steps.Count > 0 ? Steps[^1].Step : 0, Epochs.Count > 0 ? Epochs[^1].Step : 0);
    public int LastEpoch => Math.Max(Steps.Count > 0 ? Steps[^1].Epoch : 0, Epochs.Count > 0 ? Epochs[^1].Point.Epoch : 0);

    public void Clear()
    {
        Steps.Clear();
        Epochs.Clear();
        Checkpoint = null;
    }
}
