namespace TrainingService.Engine.Sweeps;

/// <summary>The sampler for a sweep's method.</summary>
public static class SweepSamplers
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when one cannot be sampled (see
    /// <see cref="SweepParameter.Validate"/>; a path listed twice; a range in a grid).</summary>
    public static ISweepSampler Create(SweepMethod method, IReadOnlyList<SweepParameter> parameters, ulong seed)
    {
        Validate(parameters);
        return method switch
        {
            SweepMethod.Grid => new GridSampler(parameters),
            SweepMethod.Random => new RandomSampler(parameters, seed),
            SweepMethod.Bayes => new TpeSampler(parameters, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "expected grid, random or bayes"),
        };
    }

    /// <summary>Every parameter valid and named once.</summary>
    public static void Validate(IReadOnlyList<SweepParameter> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("parameters: a sweep needs at least one parameter", nameof(parameters));
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            p.Validate();
            if (!paths.Add(p.Path)) throw new ArgumentException($"parameters[\"{p.Path}\"]: listed twice", p.Path);
        }
    }
}
