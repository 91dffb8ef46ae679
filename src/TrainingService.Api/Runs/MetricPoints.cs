using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingService.Data.Entities;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary>One step as stored, served and pushed live (hub message <c>steps(runId, StepPoint[])</c>).
/// <see cref="FinishedAtMs"/> (Unix ms, server clock, when the engine reported the step) is carried on live points
/// only, not stored, so the dashboard can measure step-to-screen latency.</summary>
public sealed record StepPoint(long Step, int Epoch, double Loss, double? GradNorm, double[] LayerGradNorms, double LearningRate, double ElapsedMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FinishedAtMs = null)
{
    public static StepPoint From(in StepMetrics s) =>
        new(s.Step, s.Epoch, s.Loss, s.GradNorm, s.LayerGradNorms.ToArray(), s.LearningRate, s.ElapsedMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static StepPoint From(StepMetric m) =>
        new(m.Step, m.Epoch, m.Loss, m.GradNorm, JsonSerializer.Deserialize<double[]>(m.LayerGradNorms, RunSummary.JsonOptions) ?? [], m.LearningRate, m.ElapsedMs);

    public StepMetric ToEntity(long runId) => new()
    {
        RunId = runId, Step = Step, Epoch = Epoch, Loss = Loss, GradNorm = GradNorm,
        LayerGradNorms = JsonSerializer.Serialize(LayerGradNorms, RunSummary.JsonOptions),
        LearningRate = LearningRate, ElapsedMs = ElapsedMs,
    };
}

/// <summary>One epoch's figures (hub message <c>epoch(runId, EpochPoint)</c>).</summary>
public sealed record EpochPoint(int Epoch, double TrainLoss, double? TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate)
{
    public static EpochPoint From(EpochMetrics e) => new(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate);

    public static EpochPoint From(EpochMetric m) => new(m.Epoch, m.TrainLoss, m.TrainAccuracy, m.ValidationLoss, m.ValidationAccuracy, m.LearningRate);

    public EpochMetric ToEntity(long runId) => new()
    {
        RunId = runId, Epoch = Epoch, TrainLoss = TrainLoss, TrainAccuracy = TrainAccuracy,
        ValidationLoss = ValidationLoss, ValidationAccuracy = ValidationAccuracy, LearningRate = LearningRate,
    };
}

/// <summary><c>GET /api/runs/{id}/metrics</c>.</summary>
public sealed record RunMetrics(IReadOnlyList<StepPoint> Steps, IReadOnlyList<EpochPoint> Epochs);
