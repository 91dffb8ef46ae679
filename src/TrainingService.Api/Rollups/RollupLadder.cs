namespace TrainingService.Api.Rollups;

/// <summary>
/// The fixed ladder of bucket sizes rollups are kept at: level <c>k</c> holds buckets of <c>16·8^k</c> steps (16, 128,
/// 1,024, 8,192, 65,536, 524,288), bucket <c>b</c> covering steps <c>b·size + 1 … (b+1)·size</c> (steps count from 1).
/// A factor of 8 between levels means the coarsest level that still gives at least <c>n</c> buckets over a range
/// gives at most about <c>8n</c>: a read of <c>n</c> points never touches more than O(n) rows. All levels together
/// store about a fourteenth of the raw rows.
/// </summary>
public static class RollupLadder
{
    public const int Levels = 6;
    public const int Base = 16;
    public const int Factor = 8;

    private static readonly long[] Sizes = Enumerable.Range(0, Levels).Select(k => Base * (long)Math.Pow(Factor, k)).ToArray();

    public static long Size(int level) => Sizes[level];

    public static long BucketOf(long step, int level) => (step - 1) / Size(level);

    public static long FirstStepOf(long bucket, int level) => bucket * Size(level) + 1;

    /// <summary>The coarsest level with at least <paramref name="buckets"/> buckets over <paramref name="span"/> steps,
    /// or -1 when even the finest has fewer (read the raw rows then: fewer than <c>16·buckets</c>).</summary>
    public static int CoarsestWithAtLeast(long span, long buckets)
    {
        for (int level = Levels - 1; level >= 0; level--)
            if (span / Size(level) >= buckets) return level;
        return -1;
    }
}
