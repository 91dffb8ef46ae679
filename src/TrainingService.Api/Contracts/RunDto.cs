using TrainingService.Engine.Gradients;
using System.Text.Json;
using TrainingService.Data.Entities;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Contracts;

/// <summary>A run as the API shows it (Contract: id, name, status, spec, createdAt, startedAt, finishedAt, progress, summary, error;
/// plus <c>raceId</c> when it was created by <c>POST /api/races</c>, and the user's <c>notes</c>; name, tags and notes are
/// edited with <c>PATCH /api/runs/{id}</c>, while <c>spec</c> stays as submitted).</summary>
public sealed record RunDto(
    long Id,
    string Name,
    string Status,
    RunSpec Spec,
    IReadOnlyList<string> Tags,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    RunProgress Progress,
    RunSummary? Summary,
    string? Error,
    long? RaceId = null,
    RunStorage? Storage = null,
    string? Notes = null)
{
    public static RunDto From(Run r) => new(
        r.Id, r.Name, r.Status, SpecJson.Parse(r.SpecJson),
        r.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(),
        Utc(r.CreatedAt), Utc(r.StartedAt), Utc(r.FinishedAt),
        new RunProgress(r.Epoch, r.Step, r.TotalSteps),
        r.SummaryJson is null ? null : JsonSerializer.Deserialize<RunSummary>(r.SummaryJson, RunSummary.JsonOptions),
        r.Error, r.RaceId, new RunStorage(r.StorageBytes, r.RawStepsThinnedAfter), r.Notes);

    // SQLite hands DateTimes back unspecified; they are stored as UTC.
    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
    private static DateTime? Utc(DateTime? d) => d is { } v ? Utc(v) : null;
}

public sealed record RunProgress(int Epoch, long Step, long TotalSteps);

/// <summary>What a run's stored metrics take: about <see cref="Bytes"/> in the database; past
/// <see cref="RawStepsThinnedAfter"/> (when set) only one raw step row in 16 is kept, the rollups staying exact.</summary>
public sealed record RunStorage(long Bytes, long? RawStepsThinnedAfter);

/// <summary>Final figures: the Contract's fields (the engine's TrainingSummary) plus how the run ended.</summary>
public sealed record RunSummary(
    double? TrainLoss,
    double? ValidationLoss,
    double? TestLoss,
    double? TrainAccuracy,
    double? ValidationAccuracy,
    double? TestAccuracy,
    long Steps,
    double TrainSeconds,
    double SamplesPerSecond,
    int EpochsCompleted,
    int? EarlyStoppedAtEpoch,
    GradientCheckResult? GradientCheck,
    int? BestEpoch = null,
    double? SuggestedLearningRate = null,
    double? SteepestLearningRate = null,
    double? MinimumLearningRateOverTen = null)
{
    /// <summary>Web naming; NaN and ∞ survive as literals rather than failing the write.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RunSummary From(TrainingResult r) => new(
        r.Summary.TrainLoss, r.Summary.ValidationLoss, r.Summary.TestLoss,
        r.Summary.TrainAccuracy, r.Summary.ValidationAccuracy, r.Summary.TestAccuracy,
        r.Summary.Steps, r.Summary.TrainSeconds, r.Summary.SamplesPerSecond,
        r.EpochsCompleted, r.EarlyStoppedAtEpoch, r.GradientCheck, r.BestEpoch,
        r.Summary.SuggestedLearningRate, r.Summary.SteepestLearningRate, r.Summary.MinimumLearningRateOverTen);
}

/// <summary>One page of the run list, newest first.</summary>
public sealed record RunPage(IReadOnlyList<RunDto> Items, int Page, int PageSize, int Total);
