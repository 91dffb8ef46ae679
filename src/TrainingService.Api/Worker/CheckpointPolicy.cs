using System.Diagnostics;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>When an epoch end carries a checkpoint. Asked on the training thread.</summary>
internal sealed class CheckpointPolicy(TimeSpan checkpointInterval)
{
    private readonly Stopwatch _clock = new();

    /// <summary>Whether the last epoch end seen went without a checkpoint (then <see cref="MetricPump.OnFinished"/>
    /// stores one, so the stored state is the final one).</summary>
    public bool LastEpochSkipped { get; private set; }

    /// <summary>
    /// The first epoch end, the last, and any at least <c>checkpointInterval</c> after the previous checkpoint. Serializing
    /// the optimizer state happens here on the training thread (it must be this epoch's), so a run of many short epochs
    /// would otherwise spend a good part of its time on checkpoints it overwrites 100 ms later.
    /// </summary>
    public bool Due(TrainingSession session)
    {
        bool due = !_clock.IsRunning || _clock.Elapsed >= checkpointInterval || session.Epoch >= session.Spec.Epochs;
        if (due) _clock.Restart();
        LastEpochSkipped = !due;
        return due;
    }

    /// <summary>A checkpoint was taken outside <see cref="Due"/> (the final one).</summary>
    public void Taken() => LastEpochSkipped = false;
}
