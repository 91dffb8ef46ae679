namespace TrainingService.Engine.Sweeps;

/// <summary>The size of a grid sweep.</summary>
public static class SweepGrid
{
    /// <summary>The number of combinations: the product of the values counts (long.MaxValue when larger). Throws
    /// <see cref="ArgumentException"/> naming a range parameter, which a grid cannot enumerate.</summary>
    public static long Count(IReadOnlyList<SweepParameter> parameters)
    {
        long count = 1;
        foreach (var p in parameters)
        {
            var values = AsValues(p);
            count = count > long.MaxValue / values.Values.Count ? long.MaxValue : count * values.Values.Count;
        }
        return count;
    }

    internal static SweepValues AsValues(SweepParameter p) => p as SweepValues ??
        throw new ArgumentException($"parameters[\"{p.Path}\"]: a grid sweep needs a values list, not a distribution", p.Path);
}
