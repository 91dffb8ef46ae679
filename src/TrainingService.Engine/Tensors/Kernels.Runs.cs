using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TrainingService.Engine.Tensors;

public static partial class Kernels
{
    /// <summary>
    /// A run of a row with a window cut out of it — im2col's row of outputs, zeros where the kernel reaches into the
    /// padding: short (an output row of a 14×14 map is 14 floats), so a call per run costs more
    /// than the copy. With AVX-512 a run of up to 16 is one masked load (lanes outside the window are not read, so
    /// <c>src + i</c> may point before or past the buffer for those i) and one store. Masked stores are slow on some
    /// cores (AMD Zen 4 and 5), so a store is whole 16 lanes wherever the caller allows writing past the run
    /// (<paramref name="spill"/> floats after it, which it rewrites later); only a run without that room is masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void CopyWindow(float* src, float* dst, int count, int lo, int hi, int spill)
    {
        if (Avx512F.IsSupported)
        {
            for (int i = 0; i < count; i += 16)
            {
                Vector512<float> v = Avx512F.MaskLoad(src + i, Lanes(lo - i, hi - i), Vector512<float>.Zero);
                if (i + 16 <= count + spill) v.Store(dst + i);
                else Avx512F.MaskStore(dst + i, Lanes(0, count - i), v);
            }
            return;
        }
        for (int i = 0; i < count; i++) dst[i] = i >= lo && i < hi ? src[i] : 0f;
    }

    private static readonly Vector512<int> LaneIndex = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>A mask of the lanes l with from ≤ l &lt; to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lanes(int from, int to) =>
        (Vector512.GreaterThanOrEqual(LaneIndex, Vector512.Create(from)) & Vector512.LessThan(LaneIndex, Vector512.Create(to))).AsSingle();
}
