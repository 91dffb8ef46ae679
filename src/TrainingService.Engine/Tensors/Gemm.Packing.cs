using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TrainingService.Engine.Tensors;

internal static unsafe partial class Gemm
{
    // A block of an operand is packed into panels of `width` interleaved lines (MR rows of A, or NR
    // columns of B): panel[p·width + r] = line r's element p, lines past the edge are zero. The
    // micro-kernel then reads both operands sequentially, whatever the caller's layout was. Which of
    // the two packers applies depends only on which stride of the operand is 1 — that is how the
    // transposes of MatMulTransA/TransB cost nothing beyond the packing every GEMM does anyway.

    /// <summary>
    /// Packs lines whose elements are contiguous (stride 1 along k) into interleaved panels: the
    /// transposing case (rows of a row-major A; rows of B in MatMulTransB).
    /// panel[p·width + r] = src[(line0 + r)·ld + p] for r &lt; lines, 0 beyond.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* src, long ld, int lines, int kc, int width, float* dst)
    {
        for (int l0 = 0; l0 < lines; l0 += width)
        {
            int count = Math.Min(width, lines - l0);
            float* panel = dst + (long)l0 * kc;
            float* first = src + l0 * ld;
            int p = 0;
            if (Avx512F.IsSupported && (width == 32 || width == 16))
            {
                // 16 lines × 16 k at a time through an in-register transpose (lines past the edge read as zeros).
                for (; p + 16 <= kc; p += 16)
                    for (int h = 0; h < width; h += 16)
                        TransposeBlock(first + h * ld + p, ld, Math.Clamp(count - h, 0, 16), panel + (long)p * width + h, width);
            }
            else if (Avx512F.IsSupported && width == 12)
            {
                // 12 lines padded to 16 by zeros; the overlapping 16-wide stores run in ascending
                // p so each store's 4 spill-over lanes are overwritten by the next one. The last k of the
                // panel is left to the scalar tail, so no store reaches past the panel: pieces of one
                // operand are packed on different threads at once (Gemm.PrepackA).
                for (; p + 16 < kc; p += 16)
                    TransposeBlock(first + p, ld, count, panel + (long)p * 12, 12);
            }
            for (; p < kc; p++)
            {
                float* d = panel + (long)p * width;
                int r = 0;
                for (; r < count; r++) d[r] = first[r * ld + p];
                for (; r < width; r++) d[r] = 0f;
            }
        }
    }

    /// <summary>
    /// Packs lines whose elements are adjacent across lines (stride 1 across lines): a plain copy
    /// (columns of a row-major B; rows of A in MatMulTransA).
    /// panel[p·width + r] = src[p·ld + line0 + r] for r &lt; lines, 0 beyond.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackCopy(float* src, long ld, int lines, int kc, int width, float* dst)
    {
        int full = lines / width * width;
        if (full >= 2 * width && width % Vector256<float>.Count == 0)
        {
            // Row by row of the source (one sequential read of `full` floats per k), each row's pieces dealt out to
            // the panels: walking one panel at a time instead reads kc rows ld apart per panel, a new page per row.
            for (int p = 0; p < kc; p++)
            {
                float* s = src + p * ld, d = dst + (long)p * width;
                for (int l0 = 0; l0 < full; l0 += width, s += width, d += (long)width * kc)
                    for (int r = 0; r < width; r += Vector256<float>.Count)
                        Vector256.Store(Vector256.Load(s + r), d + r);
            }
            if (full == lines) return;
            src += full; dst += (long)full * kc; lines -= full;
        }
        for (int l0 = 0; l0 < lines; l0 += width)
        {
            int count = Math.Min(width, lines - l0);
            float* panel = dst + (long)l0 * kc;
            float* s = src + l0;
            if (count == width && width % Vector256<float>.Count == 0)
            {
                for (int p = 0; p < kc; p++, s += ld)
                {
                    float* d = panel + (long)p * width;
                    for (int r = 0; r < width; r += Vector256<float>.Count)
                        Vector256.Store(Vector256.Load(s + r), d + r);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, s += ld)
                {
                    float* d = panel + (long)p * width;
                    int r = 0;
                    for (; r < count; r++) d[r] = s[r];
                    for (; r < width; r++) d[r] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// dst[c·dstStride + r] = src[r·ld + c] for c &lt; 16 and r &lt; rows (0..16), with zeros for
    /// r ≥ rows, written as 16 full 16-wide stores in ascending c. With dstStride = 12 the stores
    /// overlap: each writes 4 zero lanes past its 12 that the next store overwrites.
    /// </summary>
    /// <remarks>
    /// One method, pointer arguments only (the JIT does not inline it — too large — but a call per
    /// 256 elements is cheap): a helper taking the 16 vectors by reference is not inlined either
    /// (too many arguments), and the vectors then round-trip through memory.
    /// The transpose itself is the usual unpack-32, unpack-64, two 128-bit-lane shuffle rounds.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeBlock(float* src, long ld, int rows, float* dst, int dstStride)
    {
        // Rows at and past `rows` are never read (they may lie past the operand's end): zeros instead.
        Vector512<float> z = Vector512<float>.Zero;
        Vector512<float> r0 = rows > 0 ? Vector512.Load(src) : z, r1 = rows > 1 ? Vector512.Load(src + ld) : z,
            r2 = rows > 2 ? Vector512.Load(src + 2 * ld) : z, r3 = rows > 3 ? Vector512.Load(src + 3 * ld) : z,
            r4 = rows > 4 ? Vector512.Load(src + 4 * ld) : z, r5 = rows > 5 ? Vector512.Load(src + 5 * ld) : z,
            r6 = rows > 6 ? Vector512.Load(src + 6 * ld) : z, r7 = rows > 7 ? Vector512.Load(src + 7 * ld) : z,
            r8 = rows > 8 ? Vector512.Load(src + 8 * ld) : z, r9 = rows > 9 ? Vector512.Load(src + 9 * ld) : z,
            r10 = rows > 10 ? Vector512.Load(src + 10 * ld) : z, r11 = rows > 11 ? Vector512.Load(src + 11 * ld) : z,
            r12 = rows > 12 ? Vector512.Load(src + 12 * ld) : z, r13 = rows > 13 ? Vector512.Load(src + 13 * ld) : z,
            r14 = rows > 14 ? Vector512.Load(src + 14 * ld) : z, r15 = rows > 15 ? Vector512.Load(src + 15 * ld) : z;

        // t: pairs of rows interleaved 32-bit-wise.
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> t10 = Avx512F.UnpackLow(r10, r11), t11 = Avx512F.UnpackHigh(r10, r11);
        Vector512<float> t12 = Avx512F.UnpackLow(r12, r13), t13 = Avx512F.UnpackHigh(r12, r13);
        Vector512<float> t14 = Avx512F.UnpackLow(r14, r15), t15 = Avx512F.UnpackHigh(r14, r15);
        // u: groups of four rows, 64-bit-wise (each 128-bit lane now holds one column of 4 rows).
        Vector512<float> u0 = UnpackLo64(t0, t2), u1 = UnpackHi64(t0, t2);
        Vector512<float> u2 = UnpackLo64(t1, t3), u3 = UnpackHi64(t1, t3);
        Vector512<float> u4 = UnpackLo64(t4, t6), u5 = UnpackHi64(t4, t6);
        Vector512<float> u6 = UnpackLo64(t5, t7), u7 = UnpackHi64(t5, t7);
        Vector512<float> u8 = UnpackLo64(t8, t10), u9 = UnpackHi64(t8, t10);
        Vector512<float> u10 = UnpackLo64(t9, t11), u11 = UnpackHi64(t9, t11);
        Vector512<float> u12 = UnpackLo64(t12, t14), u13 = UnpackHi64(t12, t14);
        Vector512<float> u14 = UnpackLo64(t13, t15), u15 = UnpackHi64(t13, t15);
        // v: 128-bit lanes {0,2} / {1,3} of row-groups (0-3, 4-7) and (8-11, 12-15).
        Vector512<float> v0 = Avx512F.Shuffle4x128(u0, u4, 0x88), v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        Vector512<float> v2 = Avx512F.Shuffle4x128(u2, u6, 0x88), v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        Vector512<float> v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD), v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        Vector512<float> v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD), v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        Vector512<float> v8 = Avx512F.Shuffle4x128(u8, u12, 0x88), v9 = Avx512F.Shuffle4x128(u9, u13, 0x88);
        Vector512<float> v10 = Avx512F.Shuffle4x128(u10, u14, 0x88), v11 = Avx512F.Shuffle4x128(u11, u15, 0x88);
        Vector512<float> v12 = Avx512F.Shuffle4x128(u8, u12, 0xDD), v13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        Vector512<float> v14 = Avx512F.Shuffle4x128(u10, u14, 0xDD), v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        // Column c of the block, stored in ascending c.
        Avx512F.Shuffle4x128(v0, v8, 0x88).Store(dst);
        Avx512F.Shuffle4x128(v1, v9, 0x88).Store(dst + dstStride);
        Avx512F.Shuffle4x128(v2, v10, 0x88).Store(dst + 2 * dstStride);
        Avx512F.Shuffle4x128(v3, v11, 0x88).Store(dst + 3 * dstStride);
        Avx512F.Shuffle4x128(v4, v12, 0x88).Store(dst + 4 * dstStride);
        Avx512F.Shuffle4x128(v5, v13, 0x88).Store(dst + 5 * dstStride);
        Avx512F.Shuffle4x128(v6, v14, 0x88).Store(dst + 6 * dstStride);
        Avx512F.Shuffle4x128(v7, v15, 0x88).Store(dst + 7 * dstStride);
        Avx512F.Shuffle4x128(v0, v8, 0xDD).Store(dst + 8 * dstStride);
        Avx512F.Shuffle4x128(v1, v9, 0xDD).Store(dst + 9 * dstStride);
        Avx512F.Shuffle4x128(v2, v10, 0xDD).Store(dst + 10 * dstStride);
        Avx512F.Shuffle4x128(v3, v11, 0xDD).Store(dst + 11 * dstStride);
        Avx512F.Shuffle4x128(v4, v12, 0xDD).Store(dst + 12 * dstStride);
        Avx512F.Shuffle4x128(v5, v13, 0xDD).Store(dst + 13 * dstStride);
        Avx512F.Shuffle4x128(v6, v14, 0xDD).Store(dst + 14 * dstStride);
        Avx512F.Shuffle4x128(v7, v15, 0xDD).Store(dst + 15 * dstStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> UnpackLo64(Vector512<float> x, Vector512<float> y) =>
        Avx512F.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> UnpackHi64(Vector512<float> x, Vector512<float> y) =>
        Avx512F.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle();
}
