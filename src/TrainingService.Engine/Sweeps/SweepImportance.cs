namespace TrainingService.Engine.Sweeps;

/// <summary>Parameter importance: the share of the metric's variance each parameter explains. Work in progress.</summary>
public static class SweepImportance
{
    /// <summary>(path, importance) per parameter, importances in 0..1 summing to 1; empty with fewer than 3
    /// observations with a metric, or when the metric does not vary.</summary>
    public static IReadOnlyList<(string Path, double Importance)> Estimate(IReadOnlyList<SweepParameter> parameters, IReadOnlyList<SweepObservation> history) => [];
}
