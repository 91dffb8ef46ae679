using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TrainingService.Engine.Tensors;

/// <summary>
/// Cache-blocked, packed GEMM behind <see cref="Kernels.MatMul"/>, <see cref="Kernels.MatMulTransA"/>
/// and <see cref="Kernels.MatMulTransB"/>: C (+)= op(A)·op(B), all row-major float32.
/// </summary>
/// <remarks>
/// <para>Loop nest (Goto/BLIS): for each NC-wide column block of C, for each KC-deep slice of k, pack
/// that slice of B into NR-wide panels; for each MC-tall row block, pack A into MR-tall panels; then
/// sweep MR×NR micro-tiles. An A micro-panel (MR×KC, ≤ 18 KB) stays in L1 while the B block
/// (KC×NC, ≤ 1.5 MB) streams from L2.</para>
/// <para>Determinism: each C element is reduced as "for each k-slice in order: acc = fused
/// multiply-add chain over the slice in order; C = acc (first slice, not accumulating) or C + acc".
/// The k-slicing depends on k alone, and every micro-kernel (any tile shape, any position, edge or
/// interior) performs exactly that chain, so the result does not depend on how the output is split
/// among threads — threads get whole tiles, never a share of k.</para>
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>Deepest k-slice. 384 floats × 32 columns of B = 48 KB per B micro-panel.</summary>
    private const int KCMax = 384;

    /// <summary>Rows of A packed at a time (multiple of every MR): 192×384×4 B = 288 KB, fits L2.</summary>
    private const int MC = 192;

    /// <summary>Columns of B packed at a time (multiple of every NR): 384×1024×4 B = 1.5 MB.</summary>
    private const int NC = 1024;

    /// <summary>
    /// Below this many multiply-adds (m·n·k ≈ 1 M, e.g. 64×128×128) a product runs on the calling thread alone:
    /// handing the parts to the worker costs a few microseconds, more than such a product saves. Measured on the quiet
    /// 2-core machine (2026-11-22, `--threads 2`, 3 interleaved rounds): lowering it from 2^25 to 2^20 took 784-128-10
    /// Adam b64 from 80.7k to 98.4k samples/s and 784-256-256-10 Adam b128 from 44.0k to 54.9k (their 64×784×128 and
    /// 128×784×256 products now split). Under load a part whose core is taken holds up the whole product, which is
    /// why an earlier, loaded measurement had set it higher. Settable so that tests can force small products
    /// through the split path.
    /// </summary>
    internal static long ParallelThreshold { get; set; } = DefaultParallelThreshold;

    internal const long DefaultParallelThreshold = 1L << 20;

    private const int ScalarMR = 4, ScalarNR = 4;

    private enum Isa { Scalar, Avx256, Avx512 }

    private static readonly Isa Path =
        Vector512.IsHardwareAccelerated ? Isa.Avx512 :
        Vector256.IsHardwareAccelerated ? Isa.Avx256 : Isa.Scalar;

    private static readonly int MR = Path switch { Isa.Avx512 => 12, Isa.Avx256 => 6, _ => ScalarMR };
    private static readonly int NR = Path switch { Isa.Avx512 => 32, Isa.Avx256 => 16, _ => ScalarNR };

    /// <summary>The operands of one product: A[i,p] and B[p,j] as stored by the caller.</summary>
    internal struct Problem
    {
        public float* A, B, C;
        public int M, K, N;
        /// <summary>A is stored k×m (MatMulTransA) rather than m×k.</summary>
        public bool TransA;
        /// <summary>B is stored n×k (MatMulTransB) rather than k×n.</summary>
        public bool TransB;
        public bool Accumulate;
    }

    /// <summary>The depth of every k-slice but the last: depends on k alone (never on threads).</summary>
    internal static int SliceDepth(int k)
    {
        int slices = (k + KCMax - 1) / KCMax;
        int depth = (k + slices - 1) / slices;
        depth = (depth + 15) & ~15; // whole 16-wide transpose blocks in the packers
        return Math.Min(depth, k);
    }

    /// <summary>C (+)= op(A)·op(B), split over output tiles among up to <paramref name="threads"/> threads.</summary>
    internal static void Multiply(in Problem problem, int threads)
    {
        int m = problem.M, n = problem.N, k = problem.K;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!problem.Accumulate) new Span<float>(problem.C, checked(m * n)).Clear();
            return;
        }

        // Split the larger output dimension into whole micro-tiles (each part repacks the other
        // operand in full, so the larger dimension keeps that duplicate work smaller).
        bool splitRows = m >= n;
        int tiles = splitRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        int parts = (long)m * n * k < ParallelThreshold ? 1 : Math.Min(threads, tiles);
        if (parts <= 1)
        {
            RunPart(problem, 0, m, 0, n, null, null);
            return;
        }
        // The operand every part needs in full is packed once, here, rather than once per part — when it fits
        // a core's L2 cache. A larger one, packed whole up front, is read back from memory by the parts; each
        // part packing it block by block as it goes keeps it in L2 instead (see SharedPackMaxFloats).
        bool share = (splitRows ? (long)n * k : (long)m * k) <= SharedPackMaxFloats;
        PackBuffers? shared = share ? PackBuffers.Rent(shared: true) : null;
        try
        {
            float* sharedA = share && !splitRows ? PrepackA(problem, shared!, threads) : null;
            float* sharedB = share && splitRows ? PrepackB(problem, shared!, threads) : null;
            Parts.Run(parts, threads, new TileRanges(problem, splitRows, tiles, parts, sharedA, sharedB));
        }
        finally
        {
            if (shared is not null) PackBuffers.Return(shared, shared: true);
        }
    }

    /// <summary>
    /// Largest shared operand packed once for all parts: 2^19 floats = 2 MB, one core's L2 here. Measured on the
    /// quiet machine (2 threads, 4 interleaved rounds): 1024² and 2048² products (shared B of 4 and 16 MB) ran
    /// 148 → 169 and 160 → 169 GFLOP/s with each part packing its own blocks, while the MLP products, whose
    /// shared operand is a batch of 50k–262k floats, ran 20–40 % slower without the shared pack.
    /// </summary>
    private const long SharedPackMaxFloats = 1 << 19;

    /// <summary>Rows of A (a multiple of every MR) and columns of B (of every NR) in one piece of a shared prepack.</summary>
    private const int PieceRows = 96, PieceCols = 128;

    /// <summary>
    /// Packs all of A, in the order and layout <see cref="RunPart"/> reads it: the panel for k-slice pc and row block ic
    /// starts at pc·RoundUp(m, MR) + ic·kc, so rows [r0, r1) of a slice (r0 a multiple of MR) land at
    /// pc·RoundUp(m, MR) + r0·kc whatever the MC blocking. The pieces (slice × 96 rows) are packed by the
    /// kernel workers side by side; packing is a copy, so the result does not depend on who packs what.
    /// </summary>
    private static float* PrepackA(in Problem pr, PackBuffers buffers, int threads)
    {
        float* dst = buffers.EnsureA(RoundUp(pr.M, MR) * (long)pr.K);
        RunPrepack(pr, packA: true, dst, across: (pr.M + PieceRows - 1) / PieceRows, threads);
        return dst;
    }

    /// <summary>Packs all of B: the panel for column block jc and k-slice pc starts at jc·k + pc·RoundUp(nc, NR), and
    /// columns [c0, c1) of it (c0 − jc a multiple of NR) at + (c0 − jc)·kc. Pieces: slice × 128 columns.</summary>
    private static float* PrepackB(in Problem pr, PackBuffers buffers, int threads)
    {
        float* dst = buffers.EnsureB((long)RoundUp(pr.N, NR) * pr.K);
        RunPrepack(pr, packA: false, dst, across: (pr.N + PieceCols - 1) / PieceCols, threads);
        return dst;
    }

    /// <summary>One piece per (k-slice, block of <paramref name="across"/>), packed by the workers side by side.</summary>
    private static void RunPrepack(in Problem pr, bool packA, float* dst, int across, int threads)
    {
        int depth = SliceDepth(pr.K), slices = (pr.K + depth - 1) / depth;
        Parts.Run(slices * across, threads, new PackPieces(pr, packA, dst, across));
    }

    /// <summary>Piece <paramref name="piece"/> = (slice, block of rows of A or columns of B) of a shared prepack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPiece(in Problem pr, bool packA, float* dst, int across, int piece)
    {
        int k = pr.K, depth = SliceDepth(k);
        int pc = piece / across * depth, kc = Math.Min(depth, k - pc);
        if (packA)
        {
            int r0 = piece % across * PieceRows, rows = Math.Min(PieceRows, pr.M - r0);
            float* ap = dst + pc * (long)RoundUp(pr.M, MR) + (long)r0 * kc;
            PackRowsOfA(pr, r0, rows, pc, kc, ap);
        }
        else
        {
            int c0 = piece % across * PieceCols, cols = Math.Min(PieceCols, pr.N - c0);
            int jc = c0 / NC * NC, nc = Math.Min(NC, pr.N - jc); // PieceCols divides NC: a piece never straddles blocks
            float* bp = dst + (long)jc * k + (long)pc * RoundUp(nc, NR) + (long)(c0 - jc) * kc;
            PackColumnsOfB(pr, c0, cols, pc, kc, bp);
        }
    }

    /// <summary>Rows [i0, i0 + rows) of op(A) over k-slice [pc, pc + kc) into MR-row panels at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackRowsOfA(in Problem pr, int i0, int rows, int pc, int kc, float* dst)
    {
        if (pr.TransA) PackCopy(pr.A + (long)pc * pr.M + i0, pr.M, rows, kc, MR, dst);
        else PackTransposed(pr.A + (long)i0 * pr.K + pc, pr.K, rows, kc, MR, dst);
    }

    /// <summary>Columns [j0, j0 + cols) of op(B) over k-slice [pc, pc + kc) into NR-column panels at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackColumnsOfB(in Problem pr, int j0, int cols, int pc, int kc, float* dst)
    {
        if (pr.TransB) PackTransposed(pr.B + (long)j0 * pr.K + pc, pr.K, cols, kc, NR, dst);
        else PackCopy(pr.B + (long)pc * pr.N + j0, pr.N, cols, kc, NR, dst);
    }

    /// <summary>Part p = piece p of a shared prepack (see <see cref="PackPiece"/>).</summary>
    private readonly struct PackPieces(Problem problem, bool packA, float* dst, int across) : IPartOp
    {
        public void Run(int part) => PackPiece(problem, packA, dst, across, part);
    }

    /// <summary>One part of a split product: a contiguous range of whole tiles along one dimension. The shared operand
    /// (all of A for a column split, all of B for a row split), when packed once by the caller, is read from there.</summary>
    private readonly struct TileRanges(Problem problem, bool splitRows, int tiles, int parts, float* sharedA, float* sharedB) : IPartOp
    {
        public void Run(int part)
        {
            int t0 = (int)((long)tiles * part / parts), t1 = (int)((long)tiles * (part + 1) / parts);
            if (splitRows)
                RunPart(problem, t0 * MR, Math.Min(t1 * MR, problem.M), 0, problem.N, null, sharedB);
            else
                RunPart(problem, 0, problem.M, t0 * NR, Math.Min(t1 * NR, problem.N), sharedA, null);
        }
    }

    /// <summary>
    /// Computes rows [m0,m1) × columns [n0,n1) of C on the calling thread. <paramref name="sharedA"/>
    /// (all rows, m0 = 0) or <paramref name="sharedB"/> (all columns, n0 = 0), when given, are read
    /// pre-packed instead of packed here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart(in Problem pr, int m0, int m1, int n0, int n1, float* sharedA, float* sharedB)
    {
        int k = pr.K, ldc = pr.N, mr = MR, nr = NR;
        int depth = SliceDepth(k);
        PackBuffers buffers = PackBuffers.Rent();
        try
        {
            int ncMax = Math.Min(NC, RoundUp(n1 - n0, nr)), mcMax = Math.Min(MC, RoundUp(m1 - m0, mr));
            float* bp = buffers.EnsureB((long)ncMax * depth);
            float* ap = buffers.EnsureA((long)mcMax * depth);
            for (int jc = n0; jc < n1; jc += NC)
            {
                int nc = Math.Min(NC, n1 - jc);
                for (int pc = 0; pc < k; pc += depth)
                {
                    int kc = Math.Min(depth, k - pc);
                    bool overwrite = pc == 0 && !pr.Accumulate;
                    float* b = bp;
                    if (sharedB != null) b = sharedB + (long)jc * k + (long)pc * RoundUp(nc, nr);
                    else PackColumnsOfB(pr, jc, nc, pc, kc, bp);
                    for (int ic = m0; ic < m1; ic += MC)
                    {
                        int mc = Math.Min(MC, m1 - ic);
                        float* a = ap;
                        if (sharedA != null) a = sharedA + (long)pc * RoundUp(pr.M, mr) + (long)ic * kc;
                        else PackRowsOfA(pr, ic, mc, pc, kc, ap);
                        Sweep(a, b, pr.C + (long)ic * ldc + jc, ldc, mc, nc, kc, overwrite, buffers.Edge);
                    }
                }
            }
        }
        finally
        {
            PackBuffers.Return(buffers);
        }
    }

    /// <summary>All micro-tiles of an mc×nc block from packed panels; A micro-panel outer (held in L1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep(float* ap, float* bp, float* c, long ldc, int mc, int nc, int kc, bool overwrite, float* edge)
    {
        int mr = MR, nr = NR;
        for (int ir = 0; ir < mc; ir += mr)
        {
            float* a = ap + (long)ir * kc;
            float* cRow = c + ir * ldc;
            int rows = Math.Min(mr, mc - ir);
            for (int jr = 0; jr < nc; jr += nr)
            {
                float* b = bp + (long)jr * kc;
                int cols = Math.Min(nr, nc - jr);
                if (rows == mr && cols == nr)
                {
                    Kernel(kc, a, b, cRow + jr, ldc, overwrite);
                }
                else if (cols == nr && rows % 4 == 0 && Path == Isa.Avx512)
                {
                    for (int i = 0; i < rows; i += 4) Kernel4x32(kc, a + i, b, cRow + i * ldc + jr, ldc, overwrite);
                }
                else
                {
                    Kernel(kc, a, b, edge, nr, overwrite: true);
                    StoreEdge(edge, nr, cRow + jr, ldc, rows, cols, overwrite);
                }
            }
        }
    }

    private static void Kernel(int kc, float* a, float* b, float* c, long ldc, bool overwrite)
    {
        switch (Path)
        {
            case Isa.Avx512: Kernel12x32(kc, a, b, c, ldc, overwrite); break;
            case Isa.Avx256: Kernel6x16(kc, a, b, c, ldc, overwrite); break;
            default: KernelScalar(kc, a, b, c, ldc, overwrite); break;
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
