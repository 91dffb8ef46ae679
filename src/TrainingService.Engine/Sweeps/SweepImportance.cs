namespace TrainingService.Engine.Sweeps;

/// <summary>
/// Parameter importance: how much of the metric's variance each parameter explains on its own, as the correlation
/// ratio of a one-way analysis of variance (between-group sum of squares over the total), corrected for the share
/// that groups explain by chance — ε² = (SSB − (G − 1)·SSW/(n − G)) / SST, floored at 0 — and normalized to sum 1.
/// Groups: a values list's values; a range's quantile bins (about √n of them, 2 to 10, equal values kept together;
/// quantiles are the same on the log axis, so log_uniform needs nothing more). Failed trials are left out. When no
/// parameter explains more than chance, the uncorrected ratios are used. A first-order estimate like fANOVA's main
/// effects, without the random forest.
/// </summary>
public static class SweepImportance
{
    /// <summary>(path, importance) per parameter in the given order, importances in 0..1 summing to 1; empty with
    /// fewer than 3 trials with a metric, or when neither the metric nor any parameter varies.</summary>
    public static IReadOnlyList<(string Path, double Importance)> Estimate(IReadOnlyList<SweepParameter> parameters, IReadOnlyList<SweepObservation> history)
    {
        var trials = history.Where(o => o.Loss is { } l && double.IsFinite(l)).OrderBy(o => o.Index).ToArray();
        int n = trials.Length;
        if (n < 3) return [];
        double mean = trials.Average(o => o.Loss!.Value);
        double total = trials.Sum(o => Square(o.Loss!.Value - mean));
        if (!(total > 0)) return [];

        var raw = new double[parameters.Count];
        var corrected = new double[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            int[] group = Groups(parameters[p], trials, out int groups);
            var sums = new double[groups];
            var counts = new int[groups];
            for (int i = 0; i < n; i++) { sums[group[i]] += trials[i].Loss!.Value; counts[group[i]]++; }
            double between = 0;
            for (int g = 0; g < groups; g++) if (counts[g] > 0) between += counts[g] * Square(sums[g] / counts[g] - mean);
            double within = Math.Max(0, total - between);
            raw[p] = between / total;
            corrected[p] = n > groups ? Math.Max(0, (between - (groups - 1) * within / (n - groups)) / total) : 0;
        }
        double[] shares = corrected.Sum() > 0 ? corrected : raw;
        double sum = shares.Sum();
        if (!(sum > 0)) return [];
        return parameters.Select((p, i) => (p.Path, shares[i] / sum)).ToArray();
    }

    /// <summary>Each trial's group for one parameter (a trial without the parameter, or with an unknown value, has a
    /// group of its own kind: the last).</summary>
    private static int[] Groups(SweepParameter parameter, SweepObservation[] trials, out int groups)
    {
        int n = trials.Length;
        var group = new int[n];
        if (parameter is SweepValues v)
        {
            groups = v.Values.Count + 1;
            for (int i = 0; i < n; i++)
            {
                int at = trials[i].Parameters.TryGetValue(v.Path, out var node) ? v.IndexOf(node) : -1;
                group[i] = at >= 0 ? at : v.Values.Count;
            }
            return Compact(group, ref groups);
        }
        var xs = new double[n];
        for (int i = 0; i < n; i++)
            xs[i] = trials[i].Parameters.TryGetValue(parameter.Path, out var node) && SweepRange.Read(node) is { } x ? x : double.NaN;
        int bins = Math.Clamp((int)Math.Round(Math.Sqrt(n)), 2, 10);
        var order = Enumerable.Range(0, n).Where(i => !double.IsNaN(xs[i])).OrderBy(i => xs[i]).ToArray();
        int m = order.Length;
        groups = bins + 1;
        for (int i = 0; i < n; i++) group[i] = bins; // no number: the last group
        for (int r = 0, first = 0; r < m; r++)
        {
            if (r > 0 && xs[order[r]] != xs[order[r - 1]]) first = r; // equal values share the first one's bin
            group[order[r]] = (int)((long)first * bins / m);
        }
        return Compact(group, ref groups);
    }

    /// <summary>Renumbers the groups that occur 0, 1, … so that G counts only those.</summary>
    private static int[] Compact(int[] group, ref int groups)
    {
        var map = new int[groups];
        Array.Fill(map, -1);
        int next = 0;
        foreach (int g in group) if (map[g] < 0) map[g] = next++;
        for (int i = 0; i < group.Length; i++) group[i] = map[group[i]];
        groups = next;
        return group;
    }

    private static double Square(double x) => x * x;
}
