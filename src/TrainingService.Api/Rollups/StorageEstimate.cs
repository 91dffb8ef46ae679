using TrainingService.Api.Contracts;

namespace TrainingService.Api.Rollups;

/// <summary>
/// About how many bytes a flush adds to the database, for a run's <c>storageBytes</c>: fixed columns plus the JSON text
/// of the layer norms (and trajectory point) for each raw step row, a rollup row's columns and its per-layer figures,
/// and an epoch row. Against the SQLite files of a 200,000-step run (xor, hidden [4]; tests/Benchmarks/long_run_reads.py):
/// 35.0 MB reported, 31.2 MB on disk. It is an estimate kept as the run goes, so reading it costs nothing; it does not
/// shrink when a resume deletes the few steps after its checkpoint.
/// </summary>
public static class StorageEstimate
{
    public const int StepRowBytes = 110;
    public const int BytesPerLayerNorm = 20;
    public const int RollupRowBytes = 190;
    public const int EpochRowBytes = 90;

    public static long Bytes(IReadOnlyList<StepPoint> stepsStored, int rollupRows, int epochRows)
    {
        if (stepsStored.Count == 0) return (long)rollupRows * RollupRowBytes + (long)epochRows * EpochRowBytes;
        int layers = stepsStored[0].LayerGradNorms.Length;
        int point = stepsStored[0].Point is null ? 0 : 24;
        return stepsStored.Count * (long)(StepRowBytes + layers * BytesPerLayerNorm + point)
            + rollupRows * (long)(RollupRowBytes + 4 * layers * BytesPerLayerNorm)
            + epochRows * (long)EpochRowBytes;
    }
}
