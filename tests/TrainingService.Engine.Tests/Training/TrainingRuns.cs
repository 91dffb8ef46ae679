using TrainingService.Engine.Gradients;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary>Helpers for running small specs in tests.</summary>
internal static class TrainingRuns
{
    public static RunSpec Spec(string json) => SpecJson.Parse(json);

    public static TrainingSession Session(string json, string? dataDirectory = null) =>
        TrainingSession.Create(Spec(json), dataDirectory ?? SharedPaths.Datasets);

    /// <summary>Records every step and epoch; optionally captures checkpoints and cancels at a step.</summary>
    public sealed class Recorder : ITrainingObserver
    {
        public List<StepMetrics> Steps { get; } = [];
        public List<double[]> LayerNorms { get; } = [];
        public List<EpochMetrics> Epochs { get; } = [];
        public Dictionary<int, byte[]> Checkpoints { get; } = [];
        public GradientCheckResult? Check { get; private set; }
        public bool CaptureCheckpoints { get; init; }
        public long CancelAtStep { get; init; } = -1;
        public CancellationTokenSource Cancel { get; } = new();

        public void OnStep(in StepMetrics step)
        {
            Steps.Add(step);
            LayerNorms.Add(step.LayerGradNorms.ToArray());
            if (step.Step == CancelAtStep) Cancel.Cancel();
        }

        public void OnEpoch(EpochMetrics epoch, TrainingSession session)
        {
            Epochs.Add(epoch);
            if (CaptureCheckpoints) Checkpoints[epoch.Epoch] = session.CreateCheckpoint().Serialize();
        }

        public void OnGradientCheck(GradientCheckResult result) => Check = result;
    }
}

/// <summary>Tests that change the process-wide <c>Kernels.Threads</c> run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
    public const string Name = "Kernels.Threads";
}
