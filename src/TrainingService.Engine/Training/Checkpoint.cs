using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Search;

namespace TrainingService.Engine.Training;

/// <summary>
/// A run at an epoch boundary: its weights and its <see cref="SessionState"/>, serialized as they stand. Restoring
/// it into a session built from the same spec continues exactly as the uninterrupted run would have.
/// </summary>
public sealed class Checkpoint(float[] parameters, SessionState state)
{
    /// <summary>2 added the best epoch (number, metrics, weights); version 1 checkpoints still load, without them.
    /// 3 added the dropout streams; 4 (written only for a range test, so other runs' checkpoints stay byte-identical to
    /// format 3) adds the range test's losses.</summary>
    private const int FormatVersion = 4;

    /// <summary>The network's flat weights (W₁, b₁, W₂, …).</summary>
    public float[] Parameters { get; } = parameters;
    public SessionState State { get; } = state;
    public int Epoch => State.Epoch;
    public long Step => State.Step;
    public ulong[] RngState => State.RngState;

    public byte[] Serialize()
    {
        var s = State;
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(s.RangeLosses is null ? 3 : FormatVersion);
            w.Write(s.Epoch); w.Write(s.Step);
            WriteFloats(w, Parameters);
            w.Write(s.Optimizer is not null);
            w.Write(s.Optimizer?.StepCount ?? 0); w.Write(s.Optimizer?.LearningRate ?? 0);
            var slots = s.Optimizer?.Slots;
            w.Write(slots?.Length ?? -1);
            if (slots is not null)
                foreach (var perParam in slots)
                {
                    w.Write(perParam.Length);
                    foreach (var slot in perParam) WriteFloats(w, slot);
                }
            w.Write(s.RngState.Length);
            foreach (ulong u in s.RngState) w.Write(u);
            w.Write(s.Schedule.Current); w.Write(s.Schedule.Best); w.Write(s.Schedule.BadEpochs);
            w.Write(s.EarlyStopBest); w.Write(s.EarlyStopBadEpochs);
            w.Write(s.TrainSeconds); w.Write(s.SamplesSeen); w.Write(s.LossEvaluations);
            w.Write(s.Search is not null);
            if (s.Search is { } search)
            {
                w.Write(search.RngState.Length);
                foreach (ulong u in search.RngState) w.Write(u);
                w.Write(search.Vectors.Length);
                foreach (var v in search.Vectors) WriteFloats(w, v);
                w.Write(search.Scalars.Length);
                foreach (double d in search.Scalars) w.Write(d);
            }
            WriteEpoch(w, s.LastEpoch);
            w.Write(s.BestEpoch ?? -1);
            WriteEpoch(w, s.BestEpochMetrics);
            w.Write(s.BestParameters is not null);
            if (s.BestParameters is not null) WriteFloats(w, s.BestParameters);
            w.Write(s.LayerRngStates.Length);
            foreach (var layer in s.LayerRngStates)
            {
                w.Write(layer.Length);
                foreach (ulong u in layer) w.Write(u);
            }
            if (s.RangeLosses is { } losses)
            {
                w.Write(losses.Length);
                foreach (double d in losses) w.Write(d);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Reads format 3, 2 (written before dropout layers: it ends after the best weights) or 1 (written before the
    /// best epoch was kept: it ends after the last epoch's metrics).</summary>
    public static Checkpoint Deserialize(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        int version = r.ReadInt32();
        if (version is not (1 or 2 or 3 or FormatVersion)) throw new InvalidDataException($"checkpoint format {version} is not supported (expected {FormatVersion})");
        var s = new SessionState { Epoch = r.ReadInt32(), Step = r.ReadInt64() };
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
                for (int j = 0; j < slots[i].Length; j++) slots[i][j] = ReadFloats(r);
            }
        }
        s.Optimizer = hasOptimizer ? new OptimizerState(t, lr, slots) : null;
        s.RngState = new ulong[r.ReadInt32()];
        for (int i = 0; i < s.RngState.Length; i++) s.RngState[i] = r.ReadUInt64();
        s.Schedule = new ScheduleState(r.ReadDouble(), r.ReadDouble(), r.ReadInt32());
        s.EarlyStopBest = r.ReadDouble(); s.EarlyStopBadEpochs = r.ReadInt32();
        s.TrainSeconds = r.ReadDouble(); s.SamplesSeen = r.ReadInt64(); s.LossEvaluations = r.ReadInt64();
        if (r.ReadBoolean())
        {
            var srng = new ulong[r.ReadInt32()];
            for (int i = 0; i < srng.Length; i++) srng[i] = r.ReadUInt64();
            var vectors = new float[r.ReadInt32()][];
            for (int i = 0; i < vectors.Length; i++) vectors[i] = ReadFloats(r);
            var scalars = new double[r.ReadInt32()];
            for (int i = 0; i < scalars.Length; i++) scalars[i] = r.ReadDouble();
            s.Search = new SearchState(srng, vectors, scalars);
        }
        s.LastEpoch = ReadEpoch(r);
        if (version >= 2)
        {
            int be = r.ReadInt32();
            s.BestEpoch = be >= 0 ? be : null;
            s.BestEpochMetrics = ReadEpoch(r);
            if (r.ReadBoolean()) s.BestParameters = ReadFloats(r);
        }
        if (version >= 3)
        {
            s.LayerRngStates = new ulong[r.ReadInt32()][];
            for (int l = 0; l < s.LayerRngStates.Length; l++)
            {
                s.LayerRngStates[l] = new ulong[r.ReadInt32()];
                for (int i = 0; i < s.LayerRngStates[l].Length; i++) s.LayerRngStates[l][i] = r.ReadUInt64();
            }
        }
        if (version >= 4)
        {
            s.RangeLosses = new double[r.ReadInt32()];
            for (int i = 0; i < s.RangeLosses.Length; i++) s.RangeLosses[i] = r.ReadDouble();
        }
        return new Checkpoint(parameters, s);
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
