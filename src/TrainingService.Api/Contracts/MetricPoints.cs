using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingService.Data.Entities;
using TrainingService.Engine.Training;
using static TrainingService.Api.Contracts.StoredValues;

namespace TrainingService.Api.Contracts;

/// <summary>One step as stored, served and pushed live (hub message <c>steps(runId, StepPoint[])</c>).
/// <see cref="Point"/>: the parameters (w, b) after the step when the model has exactly two, else null.
/// <see cref="LossEvaluations"/> and <see cref="ExamplesSeen"/>: running totals (null for steps stored before they were recorded).
/// <see cref="FinishedAtMs"/> (Unix ms, server clock, when the engine reported the step) is carried on live points
/// only, not stored, so the dashboard can measure step-to-screen latency.</summary>
public sealed record StepPoint(long Step, int Epoch, double Loss, double? GradNorm, double[] LayerGradNorms, double LearningRate, double ElapsedMs,
    float[]? Point = null,
    long? LossEvaluations = null,
    long? ExamplesSeen = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FinishedAtMs = null)
{
    /// <summary>Set when the point stands for a bucket of steps (a thinned read): <see cref="Step"/> is then the
    /// bucket's last step, the loss and norms its means, and this its extent and envelope. Null for a raw step.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepBucket? Bucket { get; init; }

    public static StepPoint From(in StepMetrics s) =>
        new(s.Step, s.Epoch, s.Loss, s.GradNorm, s.LayerGradNorms.ToArray(), s.LearningRate, s.ElapsedMs,
            s.Point.IsEmpty ? null : s.Point.ToArray(), s.LossEvaluations, s.ExamplesSeen, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static StepPoint From(StepMetric m) =>
        new(m.Step, m.Epoch, m.Loss, m.GradNorm, JsonSerializer.Deserialize<double[]>(m.LayerGradNorms, RunSummary.JsonOptions) ?? [], m.LearningRate, m.ElapsedMs,
            m.Point is null ? null : JsonSerializer.Deserialize<float[]>(m.Point, RunSummary.JsonOptions), m.LossEvaluations, m.ExamplesSeen);

    public StepMetric ToEntity(long runId) => new()
    {
        RunId = runId, Step = Step, Epoch = Epoch, Loss = Loss, GradNorm = Stored(GradNorm),
        LayerGradNorms = NumberJson.Array(LayerGradNorms),
        LearningRate = LearningRate, ElapsedMs = ElapsedMs,
        Point = Point is null ? null : NumberJson.Array(Point),
        LossEvaluations = LossEvaluations, ExamplesSeen = ExamplesSeen,
    };
}

/// <summary>The steps a thinned point stands for (<c>firstStep…lastStep</c>, <c>count</c> of them) and the envelope of
/// their loss and gradient norms (global and per layer); <see cref="LossLast"/> is the last step's own loss.</summary>
public sealed record StepBucket(long FirstStep, long LastStep, int Count, double LossMin, double LossMax, double LossLast,
    double? GradNormMin, double? GradNormMax, double[] LayerGradNormMin, double[] LayerGradNormMax);

/// <summary>One epoch's figures (hub message <c>epoch(runId, EpochPoint)</c>). <see cref="SaturatedFraction"/>: per layer,
/// the fraction of saturated sigmoid/tanh units (null entries for other activations; null when there are none).</summary>
public sealed record EpochPoint(int Epoch, double TrainLoss, double? TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate,
    double?[]? SaturatedFraction = null)
{
    public static EpochPoint From(EpochMetrics e) =>
        new(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate, e.SaturatedFraction);

    public static EpochPoint From(EpochMetric m) =>
        new(m.Epoch, m.TrainLoss, m.TrainAccuracy, m.ValidationLoss, m.ValidationAccuracy, m.LearningRate,
            m.SaturatedFraction is null ? null : JsonSerializer.Deserialize<double?[]>(m.SaturatedFraction, RunSummary.JsonOptions));

    public EpochMetric ToEntity(long runId) => new()
    {
        RunId = runId, Epoch = Epoch, TrainLoss = TrainLoss, TrainAccuracy = TrainAccuracy,
        ValidationLoss = Stored(ValidationLoss), ValidationAccuracy = ValidationAccuracy, LearningRate = LearningRate,
        SaturatedFraction = SaturatedFraction is null ? null : JsonSerializer.Serialize(SaturatedFraction, RunSummary.JsonOptions),
    };
}

/// <summary>Helpers for what a database column can hold.</summary>
internal static class StoredValues
{
    /// <summary>NaN as null: SQLite cannot store NaN (Microsoft.Data.Sqlite refuses it), and a diverging run's last
    /// epoch can measure one (its validation loss, its gradient norm) in the step before the loss itself is NaN.</summary>
    public static double? Stored(double? value) => value is { } v && double.IsNaN(v) ? null : value;
}

/// <summary><c>GET /api/runs/{id}/metrics</c>.</summary>
public sealed record RunMetrics(IReadOnlyList<StepPoint> Steps, IReadOnlyList<EpochPoint> Epochs);
