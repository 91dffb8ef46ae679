using TrainingService.Api.Contracts;

namespace TrainingService.Api.Worker;

/// <summary>What the training thread hands <see cref="MetricPump"/> through its <see cref="MetricChannel"/>: steps and
/// epoch ends share the one channel, so a checkpoint is only committed together with (or after) every step before it.</summary>
internal abstract record PumpItem;

/// <summary>One step, as the engine reported it.</summary>
internal sealed record StepItem(StepPoint Point) : PumpItem;

/// <summary>An epoch end: its figures, the step it ended at, the checkpoint when one was due
/// (<see cref="CheckpointPolicy"/>), the decision grid when one was computed (<see cref="BoundaryPolicy"/>) and likewise
/// the regression view (<see cref="RegressionPolicy"/>), and a convolutional run's first filters (<see cref="FiltersPolicy"/>).</summary>
internal sealed record EpochItem(EpochPoint Point, long Step, byte[]? Checkpoint, BoundaryPoint? Boundary, RegressionPoint? Regression,
    FiltersPoint? Filters = null) : PumpItem;

/// <summary>A checkpoint on its own: the final state of a run that ended at an epoch end without one.</summary>
internal sealed record CheckpointItem(int Epoch, long Step, byte[] Data) : PumpItem;
