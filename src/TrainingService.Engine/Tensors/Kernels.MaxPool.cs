using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>Whether <see cref="MaxPool2x2Row"/> runs vectorized here (AVX-512VL's two-source permutes).</summary>
    internal static bool VectorMaxPool => Avx512F.VL.IsSupported;

    /// <summary>
    /// One output row of a 2×2, stride-2 max pool: output ox is the maximum of top[2ox], top[2ox+1], top[W+2ox],
    /// top[W+2ox+1] (W = <paramref name="width"/>), taken in that order with !(v ≤ max) — the first on a tie, a NaN
    /// wins — exactly as the scalar loop does; <paramref name="argmax"/>[ox] = <paramref name="topIndex"/> + the
    /// winner's offset. Eight (or four) outputs at a time; a short tail recomputes an overlapping group, whose
    /// outputs come out the same. Needs <see cref="VectorMaxPool"/> and <paramref name="outputs"/> ≥ 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MaxPool2x2Row(float* top, int width, int outputs, int topIndex, float* z, int* argmax)
    {
        float* bottom = top + width;
        if (outputs >= 8)
        {
            Vector256<int> even = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14), odd = even + Vector256<int>.One;
            for (int j = 0; ; j += 8)
            {
                if (j > outputs - 8) j = outputs - 8;
                float* t = top + 2 * j, b = bottom + 2 * j;
                Vector256<float> t0 = Vector256.Load(t), t1 = Vector256.Load(t + 8), b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
                Vector256<int> index = Vector256.Create(topIndex + 2 * j) + even;
                Vector256<float> max = Avx512F.VL.PermuteVar8x32x2(t0, even, t1);
                Vector256<int> best = index;
                Take(Avx512F.VL.PermuteVar8x32x2(t0, odd, t1), index + Vector256<int>.One, ref max, ref best);
                Take(Avx512F.VL.PermuteVar8x32x2(b0, even, b1), index + Vector256.Create(width), ref max, ref best);
                Take(Avx512F.VL.PermuteVar8x32x2(b0, odd, b1), index + Vector256.Create(width + 1), ref max, ref best);
                max.Store(z + j);
                best.Store(argmax + j);
                if (j == outputs - 8) return;
            }
        }
        Vector128<int> even4 = Vector128.Create(0, 2, 4, 6), odd4 = even4 + Vector128<int>.One;
        for (int j = 0; ; j += 4)
        {
            if (j > outputs - 4) j = outputs - 4;
            float* t = top + 2 * j, b = bottom + 2 * j;
            Vector128<float> t0 = Vector128.Load(t), t1 = Vector128.Load(t + 4), b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4);
            Vector128<int> index = Vector128.Create(topIndex + 2 * j) + even4;
            Vector128<float> max = Avx512F.VL.PermuteVar4x32x2(t0, even4, t1);
            Vector128<int> best = index;
            Take(Avx512F.VL.PermuteVar4x32x2(t0, odd4, t1), index + Vector128<int>.One, ref max, ref best);
            Take(Avx512F.VL.PermuteVar4x32x2(b0, even4, b1), index + Vector128.Create(width), ref max, ref best);
            Take(Avx512F.VL.PermuteVar4x32x2(b0, odd4, b1), index + Vector128.Create(width + 1), ref max, ref best);
            max.Store(z + j);
            best.Store(argmax + j);
            if (j == outputs - 4) return;
        }
    }

    /// <summary>max, best ← v, index where !(v ≤ max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector256<float> v, Vector256<int> index, ref Vector256<float> max, ref Vector256<int> best)
    {
        Vector256<float> keep = Vector256.LessThanOrEqual(v, max);
        max = Vector256.ConditionalSelect(keep, max, v);
        best = Vector256.ConditionalSelect(keep.AsInt32(), best, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector128<float> v, Vector128<int> index, ref Vector128<float> max, ref Vector128<int> best)
    {
        Vector128<float> keep = Vector128.LessThanOrEqual(v, max);
        max = Vector128.ConditionalSelect(keep, max, v);
        best = Vector128.ConditionalSelect(keep.AsInt32(), best, index);
    }
}
