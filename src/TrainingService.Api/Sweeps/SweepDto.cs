using System.Text.Json.Nodes;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Sweeps;

/// <summary>A sweep as the API and the hub's <c>sweep</c> message show it. <see cref="Trials"/> is null in the list;
/// <see cref="Best"/> is the succeeded trial with the best metric; <see cref="Importance"/> the share of the metric's
/// variance each parameter explains (empty below 3 trials with a metric).</summary>
public sealed record SweepDto(
    long Id,
    string Name,
    string Method,
    SweepMetricDto Metric,
    JsonObject Parameters,
    int? RunCap,
    int Parallel,
    long Seed,
    SweepEarlyTerminate? EarlyTerminate,
    string State,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    int TrialCount,
    IReadOnlyList<SweepTrialDto>? Trials,
    SweepBestDto? Best,
    IReadOnlyList<SweepImportanceDto> Importance,
    RunSpec Base);

public sealed record SweepMetricDto(string Name, string Goal);

/// <summary>One trial: its run, the values it was given, the run's status (or <c>pruned</c>), the metric from the run's
/// summary once it ended (null before, or when the run has none), epochs completed and, if hyperband stopped it, where.</summary>
public sealed record SweepTrialDto(int Index, long RunId, JsonObject Parameters, string Status, double? Metric, int Epochs, int? PrunedAtEpoch);

public sealed record SweepBestDto(int Index, long RunId, double Metric, JsonObject Parameters);

public sealed record SweepImportanceDto(string Parameter, double Importance);
