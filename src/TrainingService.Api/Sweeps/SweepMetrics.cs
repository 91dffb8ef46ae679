using TrainingService.Api.Contracts;

namespace TrainingService.Api.Sweeps;

/// <summary>The run figures a sweep can rank its trials by, as runs store them: the summary's (every metric) and each
/// epoch's (the four an epoch records, which hyperband compares at its rungs).</summary>
public static class SweepMetrics
{
    public static readonly string[] Names = ["validationLoss", "validationAccuracy", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy"];
    public static readonly string[] PerEpoch = ["validationLoss", "validationAccuracy", "trainLoss", "trainAccuracy"];

    /// <summary>Accuracies are maximized, losses minimized, unless the request says otherwise.</summary>
    public static string DefaultGoal(string metric) => metric.EndsWith("Accuracy", StringComparison.Ordinal) ? "maximize" : "minimize";

    public static double? FromSummary(RunSummary? s, string metric) => s is null ? null : Finite(metric switch
    {
        "validationLoss" => s.ValidationLoss,
        "validationAccuracy" => s.ValidationAccuracy,
        "trainLoss" => s.TrainLoss,
        "trainAccuracy" => s.TrainAccuracy,
        "testLoss" => s.TestLoss,
        "testAccuracy" => s.TestAccuracy,
        _ => null,
    });

    /// <summary>A metric as the samplers and hyperband want it: lower is better (a maximized metric negated).</summary>
    public static double? AsLoss(double? value, string goal) => value is { } v ? goal == "maximize" ? -v : v : null;

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
