using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TrainingService.Engine.Tensors;

internal static unsafe partial class Gemm
{
    // Every micro-kernel computes, for each element of its MR×NR tile,
    //     acc = 0;  for p in 0..kc-1:  acc = fma(a[i,p], b[p,j], acc)
    //     c[i,j] = overwrite ? acc : c[i,j] + acc
    // one element per vector lane, so the rounding of an element depends only on kc and its own
    // inputs — not on the tile shape, the tile's position, nor on which kernel (512-bit, 256-bit,
    // scalar fused multiply-add) ran it. Edge tiles run the same kernel on zero-padded panels into
    // a scratch tile (overwrite), whose valid corner is then stored — or added — by StoreEdge:
    // the same single rounding of c + acc as the kernel's own store.
    // The kernels always store a whole tile and call nothing: a call after the loop with the
    // accumulators live made the JIT spill them to the stack inside the loop (3× slower).

    /// <summary>
    /// 12×32 tile with Vector512: 24 accumulators + 2 B vectors stay in the 32 zmm registers
    /// (A is broadcast from memory), one k step = 2 loads + 24 FMAs — enough independent FMAs to
    /// hide their 4-cycle latency on both FMA ports.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(int kc, float* a, float* b, float* c, long ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]);
            c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]);
            c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]);
            ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]);
            cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
            a += 12; b += 32;
        }
        Store2(c, c00, c01, overwrite); Store2(c + ldc, c10, c11, overwrite);
        Store2(c + 2 * ldc, c20, c21, overwrite); Store2(c + 3 * ldc, c30, c31, overwrite);
        Store2(c + 4 * ldc, c40, c41, overwrite); Store2(c + 5 * ldc, c50, c51, overwrite);
        Store2(c + 6 * ldc, c60, c61, overwrite); Store2(c + 7 * ldc, c70, c71, overwrite);
        Store2(c + 8 * ldc, c80, c81, overwrite); Store2(c + 9 * ldc, c90, c91, overwrite);
        Store2(c + 10 * ldc, ca0, ca1, overwrite); Store2(c + 11 * ldc, cb0, cb1, overwrite);
    }

    /// <summary>
    /// Four rows of a 12-row A panel (<paramref name="a"/> at the first of them) × 32 columns, straight into C: a
    /// bottom edge of 4 or 8 rows (the batch sizes that are powers of two leave those after the 12-row tiles) costs a
    /// third or two thirds of a tile instead of a whole one plus the scratch copy. Same chain per element as
    /// <see cref="Kernel12x32"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(int kc, float* a, float* b, float* c, long ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            a += 12; b += 32;
        }
        Store2(c, c00, c01, overwrite); Store2(c + ldc, c10, c11, overwrite);
        Store2(c + 2 * ldc, c20, c21, overwrite); Store2(c + 3 * ldc, c30, c31, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector512<float> v0, Vector512<float> v1, bool overwrite)
    {
        if (!overwrite)
        {
            v0 = Vector512.Load(c) + v0;
            v1 = Vector512.Load(c + 16) + v1;
        }
        v0.Store(c);
        v1.Store(c + 16);
    }

    /// <summary>
    /// 6×16 tile with Vector256 (AVX2 has 16 ymm registers: 12 accumulators + 2 B + 1 broadcast).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, long ldc, bool overwrite)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6; b += 16;
        }
        Store2(c, c00, c01, overwrite); Store2(c + ldc, c10, c11, overwrite);
        Store2(c + 2 * ldc, c20, c21, overwrite); Store2(c + 3 * ldc, c30, c31, overwrite);
        Store2(c + 4 * ldc, c40, c41, overwrite); Store2(c + 5 * ldc, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector256<float> v0, Vector256<float> v1, bool overwrite)
    {
        if (!overwrite)
        {
            v0 = Vector256.Load(c) + v0;
            v1 = Vector256.Load(c + 8) + v1;
        }
        v0.Store(c);
        v1.Store(c + 8);
    }

    /// <summary>4×4 tile in scalar fused multiply-adds: the fallback without SIMD (same rounding).</summary>
    private static void KernelScalar(int kc, float* a, float* b, float* c, long ldc, bool overwrite)
    {
        float* t = stackalloc float[ScalarMR * ScalarNR];
        for (int i = 0; i < ScalarMR * ScalarNR; i++) t[i] = 0f;
        for (int p = 0; p < kc; p++, a += ScalarMR, b += ScalarNR)
            for (int i = 0; i < ScalarMR; i++)
                for (int j = 0; j < ScalarNR; j++)
                    t[i * ScalarNR + j] = MathF.FusedMultiplyAdd(a[i], b[j], t[i * ScalarNR + j]);
        for (int i = 0; i < ScalarMR; i++)
            for (int j = 0; j < ScalarNR; j++)
                c[i * ldc + j] = overwrite ? t[i * ScalarNR + j] : c[i * ldc + j] + t[i * ScalarNR + j];
    }

    /// <summary>Writes (or adds) the valid mr×nr corner of a tile held in t (row stride tStride).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(float* t, int tStride, float* c, long ldc, int mr, int nr, bool overwrite)
    {
        for (int i = 0; i < mr; i++, t += tStride, c += ldc)
        {
            if (overwrite) for (int j = 0; j < nr; j++) c[j] = t[j];
            else for (int j = 0; j < nr; j++) c[j] += t[j];
        }
    }
}
