using TrainingService.Api.Contracts;
using TrainingService.Engine.Gradients;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>The pump, with an <see cref="IEpochGate"/> asked after each epoch end: when it gives a reason to stop, the run
/// is cancelled through its registry entry (the engine stops before the next step; the epoch itself is stored as usual)
/// and <see cref="StopReason"/> becomes the run's error.</summary>
internal sealed class GatedObserver(MetricPump pump, IEpochGate gate, RunRegistry.ActiveRun active) : ITrainingObserver
{
    public void OnStep(in StepMetrics step) => pump.OnStep(step);

    public void OnEpoch(EpochMetrics epoch, TrainingSession session)
    {
        pump.OnEpoch(epoch, session);
        if (StopReason is null && gate.Stop(EpochPoint.From(epoch)) is { } reason)
        {
            StopReason = reason;
            active.Cancel();
        }
    }

    public string? StopReason { get; private set; }

    public void OnGradientCheck(GradientCheckResult result) => ((ITrainingObserver)pump).OnGradientCheck(result);
}
