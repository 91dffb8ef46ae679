using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TrainingService.Engine.Optimizers;

/// <summary>
/// Flush-to-zero for optimizer state that decays geometrically. A weight whose gradient is zero for a while (an
/// MNIST border pixel that is rarely lit) sees its Adam moment m shrink by β1 every step until it leaves float's
/// normal range (|x| &lt; 2^-126 ≈ 1.2e-38); from there every multiply that reads or produces it takes a microcode
/// assist on x86 costing ~100 cycles, for the ~150 steps it takes to reach zero — for the whole 16-lane vector
/// around it. .NET cannot set the CPU's flush-to-zero mode, so the state is flushed explicitly: such a value moves
/// θ by less than 1e-30 (far below float resolution of any weight), so the trajectory is unchanged in practice,
/// and the flush is the same operation on every path (vector or scalar, any thread count).
/// </summary>
internal static class Subnormal
{
    /// <summary>2^-126, the smallest normal float.</summary>
    private const float MinNormal = 1.17549435e-38f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Flush(float x) => MathF.Abs(x) < MinNormal ? 0f : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Flush(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(MinNormal)), Vector512<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Flush(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(MinNormal)), Vector<float>.Zero, x);
}
