namespace TrainingService.Engine.Sweeps;

/// <summary>
/// Early termination by asynchronous successive halving (ASHA: Li et al. 2020; Optuna's SuccessiveHalvingPruner,
/// W&amp;B's <c>early_terminate: hyperband</c>). A trial reports its metric at each rung epoch — MinEpochs,
/// MinEpochs·Eta, MinEpochs·Eta², … — and continues only while it is among the best 1/Eta of the trials that reached
/// that rung so far; no trial waits for another.
/// </summary>
public sealed record Hyperband
{
    public int MinEpochs { get; }
    public int Eta { get; }

    public Hyperband(int minEpochs, int eta)
    {
        if (minEpochs < 1) throw new ArgumentOutOfRangeException(nameof(minEpochs), minEpochs, "earlyTerminate.minEpochs must be at least 1");
        if (eta < 2) throw new ArgumentOutOfRangeException(nameof(eta), eta, "earlyTerminate.eta must be at least 2");
        MinEpochs = minEpochs; Eta = eta;
    }

    /// <summary>The rung epochs below <paramref name="maxEpochs"/>: MinEpochs, MinEpochs·Eta, … (a trial that reaches
    /// maxEpochs has finished; nothing is left to save there).</summary>
    public IReadOnlyList<int> Rungs(int maxEpochs)
    {
        var rungs = new List<int>();
        for (long r = MinEpochs; r < maxEpochs; r *= Eta) rungs.Add((int)r);
        return rungs;
    }

    /// <summary>Should a trial that reports <paramref name="loss"/> (lower is better) at a rung stop, given the losses
    /// every other trial reported at that same rung? It is kept when it is among the best max(1, ⌊n/Eta⌋) of the n
    /// reports, its own included; ties keep it, and a NaN loss is always pruned (a NaN among the others beats
    /// nothing).</summary>
    public bool ShouldPrune(double loss, IReadOnlyList<double> othersAtRung)
    {
        if (double.IsNaN(loss)) return true;
        int n = othersAtRung.Count + 1;
        int keep = Math.Max(1, n / Eta);
        int better = 0;
        foreach (double other in othersAtRung) if (other < loss) better++;
        return better >= keep;
    }
}
