using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training;

/// <summary>
/// The complete state of a run at an epoch boundary: weights, optimizer state, the batch-order RNG,
/// schedule and early-stopping state, counters and the last epoch's metrics. Restoring it into a session
/// built from the same spec continues exactly as the uninterrupted run would have.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>2 added the best epoch (number, metrics, weights); version 1 checkpoints still load, without them.</summary>
    private const int FormatVersion = 2;

    public required int Epoch { get; init; }
    public required long Step { get; init; }
    public required float[] Parameters { get; init; }
    public required OptimizerState? Optimizer { get; init; }
    public required SearchState? Search { get; init; }
    public required ulong[] RngState { get; init; }
    public required double ScheduleCurrent { get; init; }
    public required double ScheduleBest { get; init; }
    public required int ScheduleBadEpochs { get; init; }
    public required double EarlyStopBest { get; init; }
    public required int EarlyStopBadEpochs { get; init; }
    public required double TrainSeconds { get; init; }
    public required long SamplesSeen { get; init; }
    public required long LossEvaluations { get; init; }
    public required EpochMetrics? LastEpoch { get; init; }
    /// <summary>Early stopping's best validation epoch so far, its metrics and (restoreBestWeights) its weights.</summary>
    public int? BestEpoch { get; init; }
    public EpochMetrics? BestEpochMetrics { get; init; }
    public float[]? BestParameters { get; init; }

    public byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(FormatVersion);
            w.Write(Epoch); w.Write(Step);
            WriteFloats(w, Parameters);
            w.Write(Optimizer is not null);
            w.Write(Optimizer?.StepCount ?? 0); w.Write(Optimizer?.LearningRate ?? 0);
            var slots = Optimizer?.Slots;
            w.Write(slots?.Length ?? -1);
            if (slots is not null)
                foreach (var perParam in slots)
                {
                    w.Write(perParam.Length);
                    foreach (var s in perParam) WriteFloats(w, s);
                }
            w.Write(RngState.Length);
            foreach (ulong u in RngState) w.Write(u);
            w.Write(ScheduleCurrent); w.Write(ScheduleBest); w.Write(ScheduleBadEpochs);
            w.Write(EarlyStopBest); w.Write(EarlyStopBadEpochs);
            w.Write(TrainSeconds); w.Write(SamplesSeen); w.Write(LossEvaluations);
            w.Write(Search is not null);
            if (Search is { } search)
            {
                w.Write(search.RngState.Length);
                foreach (ulong u in search.RngState) w.Write(u);
                w.Write(search.Vectors.Length);
                foreach (var v in search.Vectors) WriteFloats(w, v);
                w.Write(search.Scalars.Length);
                foreach (double d in search.Scalars) w.Write(d);
            }
            WriteEpoch(w, LastEpoch);
            w.Write(BestEpoch ?? -1);
            WriteEpoch(w, BestEpochMetrics);
            w.Write(BestParameters is not null);
            if (BestParameters is not null) WriteFloats(w, BestParameters);
        }
        return ms.ToArray();
    }

    public static Checkpoint Deserialize(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        int version = r.ReadInt32();
        if (version is not (1 or FormatVersion)) throw new InvalidDataException($"checkpoint format {version} is not supported (expected {FormatVersion})");
        int epoch = r.ReadInt32(); long step = r.ReadInt64();
        float[] parameters = ReadFloats(r);
        bool hasOptimizer = r.ReadBoolean();
        long t = r.ReadInt64(); double lr = r.ReadDouble();
        int nParams = r.ReadInt32();
        float[][][]? slots = null;
        if (nParams >= 0)
        {
            slots = new float[nParams][][];
            for (int i = 0; i < nParams; i++)
            {
                slots[i] = new float[r.ReadInt32()][];
                for (int s = 0; s < slots[i].Length; s++) slots[i][s] = ReadFloats(r);
            }
        }
        var rng = new ulong[r.ReadInt32()];
        for (int i = 0; i < rng.Length; i++) rng[i] = r.ReadUInt64();
        double sc = r.ReadDouble(), sb = r.ReadDouble(); int sbad = r.ReadInt32();
        double eb = r.ReadDouble(); int ebad = r.ReadInt32();
        double secs = r.ReadDouble(); long seen = r.ReadInt64(); long evals = r.ReadInt64();
        SearchState? search = null;
        if (r.ReadBoolean())
        {
            var srng = new ulong[r.ReadInt32()];
            for (int i = 0; i < srng.Length; i++) srng[i] = r.ReadUInt64();
            var vectors = new float[r.ReadInt32()][];
            for (int i = 0; i < vectors.Length; i++) vectors[i] = ReadFloats(r);
            var scalars = new double[r.ReadInt32()];
            for (int i = 0; i < scalars.Length; i++) scalars[i] = r.ReadDouble();
            search = new SearchState(srng, vectors, scalars);
        }
        EpochMetrics? last = ReadEpoch(r);
        int? bestEpoch = null; EpochMetrics? bestMetrics = null; float[]? bestParameters = null;
        if (version >= 2)
        {
            int be = r.ReadInt32();
            bestEpoch = be >= 0 ? be : null;
            bestMetrics = ReadEpoch(r);
            if (r.ReadBoolean()) bestParameters = ReadFloats(r);
        }
        return new Checkpoint
        {
            Epoch = epoch, Step = step, Parameters = parameters, Optimizer = hasOptimizer ? new OptimizerState(t, lr, slots) : null, Search = search, RngState = rng,
            ScheduleCurrent = sc, ScheduleBest = sb, ScheduleBadEpochs = sbad, EarlyStopBest = eb, EarlyStopBadEpochs = ebad,
            TrainSeconds = secs, SamplesSeen = seen, LossEvaluations = evals, LastEpoch = last,
            BestEpoch = bestEpoch, BestEpochMetrics = bestMetrics, BestParameters = bestParameters,
        };
    }

    private static void WriteEpoch(BinaryWriter w, EpochMetrics? e)
    {
        w.Write(e is not null);
        if (e is null) return;
        w.Write(e.Epoch); w.Write(e.TrainLoss); WriteNullable(w, e.TrainAccuracy);
        WriteNullable(w, e.ValidationLoss); WriteNullable(w, e.ValidationAccuracy); w.Write(e.LearningRate);
    }

    private static EpochMetrics? ReadEpoch(BinaryReader r) =>
        r.ReadBoolean() ? new EpochMetrics(r.ReadInt32(), r.ReadDouble(), ReadNullable(r), ReadNullable(r), ReadNullable(r), r.ReadDouble()) : null;

    private static void WriteFloats(BinaryWriter w, float[] data)
    {
        w.Write(data.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var data = new float[r.ReadInt32()];
        r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        return data;
    }

    private static void WriteNullable(BinaryWriter w, double? v) { w.Write(v.HasValue); w.Write(v ?? 0); }
    private static double? ReadNullable(BinaryReader r) { bool has = r.ReadBoolean(); double v = r.ReadDouble(); return has ? v : null; }
}
