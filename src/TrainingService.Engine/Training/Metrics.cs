using TrainingService.Engine.Gradients;

namespace TrainingService.Engine.Training;

/// <summary>
/// One optimizer step. <see cref="LayerGradNorms"/> is a buffer the trainer reuses: copy it to keep it.
/// <see cref="GradNorm"/> is the global L2 norm before clipping (null for gradient-free methods).
/// </summary>
public readonly record struct StepMetrics(
    long Step,
    int Epoch,
    double Loss,
    double? GradNorm,
    ReadOnlyMemory<double> LayerGradNorms,
    double LearningRate,
    double ElapsedMs,
    long LossEvaluations)
{
    /// <summary>The parameters after the step when the model has exactly two (w, b): the loss-landscape trajectory; else empty.</summary>
    public ReadOnlyMemory<float> Point { get; init; }

    /// <summary>Training rows consumed so far, this step's batch included: the fair x axis across batch sizes.</summary>
    public long ExamplesSeen { get; init; }
}

/// <summary>End of an epoch: the running mean of the epoch's batch losses (and accuracy), then validation.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate)
{
    /// <summary>
    /// Per layer, the fraction of sigmoid/tanh units that are saturated (|f'| below 10 % of its peak) on a
    /// sample of training rows — where deep sigmoid nets lose their gradient. Null for other activations.
    /// </summary>
    public double?[]? SaturatedFraction { get; init; }
}

/// <summary>How a run ended.</summary>
public enum RunOutcome { Succeeded, Cancelled, Diverged }

/// <summary>Final figures of a run (accuracies are null for regression; splits that are empty give null).</summary>
public sealed record TrainingSummary(
    double? TrainLoss,
    double? ValidationLoss,
    double? TestLoss,
    double? TrainAccuracy,
    double? ValidationAccuracy,
    double? TestAccuracy,
    long Steps,
    double TrainSeconds,
    double SamplesPerSecond)
{
    /// <summary>A learning-rate finder run's suggestion (<see cref="RangeTest"/>): the steepest descent's rate.</summary>
    public double? SuggestedLearningRate { get; init; }
    public double? SteepestLearningRate { get; init; }
    /// <summary>The rate at the smoothed loss's minimum, ÷ 10 (fast.ai's other candidate).</summary>
    public double? MinimumLearningRateOverTen { get; init; }
}

public sealed record TrainingResult(
    RunOutcome Outcome,
    TrainingSummary Summary,
    string? Error,
    int EpochsCompleted,
    int? EarlyStoppedAtEpoch,
    GradientCheckResult? GradientCheck)
{
    /// <summary>The epoch with the best validation loss (runs with early stopping); when the run stopped early with
    /// restoreBestWeights its weights are the ones kept, and the summary's train/validation figures are that epoch's.</summary>
    public int? BestEpoch { get; init; }
}

/// <summary>Receives a run's progress. Called on the training thread: return quickly and copy what you keep.</summary>
public interface ITrainingObserver
{
    void OnStep(in StepMetrics step) { }
    /// <summary>After an epoch's metrics; <paramref name="session"/> can produce a checkpoint of this boundary.</summary>
    void OnEpoch(EpochMetrics epoch, TrainingSession session) { }
    void OnGradientCheck(GradientCheckResult result) { }
}
