namespace TrainingService.Engine.Tensors;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// A thread's pair of packing buffers (pinned, 64-byte aligned), rented per product part from a
    /// small lock-free pool so that steady-state products allocate nothing, and so that a web
    /// service's many request threads share a few buffers instead of each keeping its own.
    /// </summary>
    private sealed class PackBuffers
    {
        /// <summary>Spare floats past the end: the 12-row transposing packer overshoots by 4.</summary>
        private const int Slack = 64;

        private static readonly PackBuffers?[] Pool = new PackBuffers?[Math.Max(4, 2 * Environment.ProcessorCount)];

        /// <summary>
        /// A separate pool for operands packed once and shared by a split product's parts: they are
        /// larger than a part's panels, and drawing them from the same pool would make instances trade
        /// roles and regrow, allocating in steady state.
        /// </summary>
        private static readonly PackBuffers?[] SharedPool = new PackBuffers?[Math.Max(4, 2 * Environment.ProcessorCount)];

        private float[] _a = [], _b = [];
        private float* _aPtr, _bPtr;
        private readonly float[] _edge = GC.AllocateArray<float>(32 * 12 + 16, pinned: true);

        /// <summary>A scratch MR×NR tile for edge tiles (64-byte aligned).</summary>
        public float* Edge
        {
            get { fixed (float* p = _edge) return (float*)(((nuint)p + 63) & ~(nuint)63); }
        }

        public static PackBuffers Rent(bool shared = false)
        {
            PackBuffers?[] pool = shared ? SharedPool : Pool;
            // Each kernel worker starts at its own slot (other threads at 0) and gives its buffers back there, so in
            // steady state a thread packs into the memory it packed into last time, still in its own core's cache:
            // a buffer last written on the other core costs a cross-core transfer of every line it rewrites.
            int first = WorkerPool.CurrentWorker % pool.Length;
            for (int n = 0; n < pool.Length; n++)
            {
                int i = (first + n) % pool.Length;
                PackBuffers? found = Interlocked.Exchange(ref pool[i], null);
                if (found != null) return found;
            }
            return new PackBuffers();
        }

        public static void Return(PackBuffers buffers, bool shared = false)
        {
            PackBuffers?[] pool = shared ? SharedPool : Pool;
            int first = WorkerPool.CurrentWorker % pool.Length;
            for (int n = 0; n < pool.Length; n++)
                if (Interlocked.CompareExchange(ref pool[(first + n) % pool.Length], buffers, null) == null) return;
            // Pool full (unusually many concurrent products): let this one go to the GC.
        }

        public float* EnsureA(long floats) => Ensure(ref _a, ref _aPtr, floats);

        public float* EnsureB(long floats) => Ensure(ref _b, ref _bPtr, floats);

        private static float* Ensure(ref float[] array, ref float* aligned, long floats)
        {
            long needed = floats + Slack + 16;
            if (array.Length < needed)
            {
                // Pinned (POH) so the pointer stays valid; grown, never shrunk.
                array = GC.AllocateUninitializedArray<float>(checked((int)needed), pinned: true);
                fixed (float* p = array) aligned = (float*)(((nuint)p + 63) & ~(nuint)63);
            }
            return aligned;
        }
    }
}
