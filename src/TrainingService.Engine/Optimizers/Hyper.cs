namespace TrainingService.Engine.Optimizers;

/// <summary>Hyperparameter checks: every bad value fails with its name and the value, nothing is clamped.</summary>
internal static class Hyper
{
    public static double Positive(string name, double value) =>
        double.IsFinite(value) && value > 0 ? value : throw Bad(name, value, "must be a finite number > 0");

    public static double NonNegative(string name, double value) =>
        double.IsFinite(value) && value >= 0 ? value : throw Bad(name, value, "must be a finite number ≥ 0");

    /// <summary>0 ≤ value &lt; 1 (momentum, betas, rho, alpha).</summary>
    public static double UnitInterval(string name, double value) =>
        double.IsFinite(value) && value >= 0 && value < 1 ? value : throw Bad(name, value, "must be in [0, 1)");

    private static ArgumentOutOfRangeException Bad(string name, double value, string rule) =>
        new(name, value, $"{name} {rule}, got {value}");
}
