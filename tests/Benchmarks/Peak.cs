using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TrainingService.Benchmarks;

/// <summary>The FMA throughput ceiling: 24 independent Vector512 accumulators, no memory traffic.</summary>
internal static class Peak
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Fma(int iterations)
    {
        var x = Vector512.Create(1.0000001f);
        var y = Vector512.Create(0.9999999f);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x,
            a12 = x, a13 = x, a14 = x, a15 = x, a16 = x, a17 = x, a18 = x, a19 = x, a20 = x, a21 = x, a22 = x, a23 = x;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, y, x); a1 = Vector512.FusedMultiplyAdd(a1, y, x);
            a2 = Vector512.FusedMultiplyAdd(a2, y, x); a3 = Vector512.FusedMultiplyAdd(a3, y, x);
            a4 = Vector512.FusedMultiplyAdd(a4, y, x); a5 = Vector512.FusedMultiplyAdd(a5, y, x);
            a6 = Vector512.FusedMultiplyAdd(a6, y, x); a7 = Vector512.FusedMultiplyAdd(a7, y, x);
            a8 = Vector512.FusedMultiplyAdd(a8, y, x); a9 = Vector512.FusedMultiplyAdd(a9, y, x);
            a10 = Vector512.FusedMultiplyAdd(a10, y, x); a11 = Vector512.FusedMultiplyAdd(a11, y, x);
            a12 = Vector512.FusedMultiplyAdd(a12, y, x); a13 = Vector512.FusedMultiplyAdd(a13, y, x);
            a14 = Vector512.FusedMultiplyAdd(a14, y, x); a15 = Vector512.FusedMultiplyAdd(a15, y, x);
            a16 = Vector512.FusedMultiplyAdd(a16, y, x); a17 = Vector512.FusedMultiplyAdd(a17, y, x);
            a18 = Vector512.FusedMultiplyAdd(a18, y, x); a19 = Vector512.FusedMultiplyAdd(a19, y, x);
            a20 = Vector512.FusedMultiplyAdd(a20, y, x); a21 = Vector512.FusedMultiplyAdd(a21, y, x);
            a22 = Vector512.FusedMultiplyAdd(a22, y, x); a23 = Vector512.FusedMultiplyAdd(a23, y, x);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
            + ((a12 + a13) + (a14 + a15)) + ((a16 + a17) + (a18 + a19)) + ((a20 + a21) + (a22 + a23));
        return Vector512.Sum(s);
    }
}
