namespace TrainingService.Engine.Tensors;

/// <summary>One part of a parallel pass: <see cref="Run"/> is called once for each part index, on whichever thread
/// claims it. Implemented by small structs that carry the pass's operands for one call.</summary>
internal interface IPartOp
{
    void Run(int part);
}

/// <summary>
/// The engine's one door to the kernel workers (<see cref="WorkerPool"/>): runs parts 0..n−1 of a struct operation on
/// the calling thread and up to threads − 1 workers. The operation is a struct passed by value, so a caller (a layer,
/// the optimizer, a kernel) states what to compute and owns no job object; the heap object the workers need is kept
/// here, one per operation type and thread, and holds the operands only while the parts run.
/// </summary>
internal static class Parts
{
    /// <summary>Runs <paramref name="op"/> for every part in [0, <paramref name="parts"/>) and returns when all have
    /// finished. With one thread (or one part) the parts run in order on the calling thread.</summary>
    public static void Run<TOp>(int parts, int threads, in TOp op) where TOp : struct, IPartOp
    {
        if (parts <= 0) return;
        if (threads <= 1 || parts == 1)
        {
            for (int p = 0; p < parts; p++) op.Run(p);
            return;
        }
        // Taken off the thread's slot while in use, so a pass started from inside a part gets its own carrier.
        Carrier<TOp> carrier = Carrier<TOp>.Spare ?? new Carrier<TOp>();
        Carrier<TOp>.Spare = null;
        carrier.Op = op;
        try { WorkerPool.Shared.Run(carrier, parts, threads); }
        finally
        {
            carrier.Op = default; // the carrier keeps no reference to the caller's buffers between passes
            Carrier<TOp>.Spare = carrier;
        }
    }

    /// <summary>What the workers are handed: the operation, by value, for the duration of one pass.</summary>
    private sealed class Carrier<TOp> : WorkerPool.Job where TOp : struct, IPartOp
    {
        [ThreadStatic] public static Carrier<TOp>? Spare;

        public TOp Op;

        public override void Run(int part) => Op.Run(part);
    }
}
