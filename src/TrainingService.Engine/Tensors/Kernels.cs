namespace TrainingService.Engine.Tensors;

/// <summary>
/// Numerical kernels on spans, one operation family per file (Kernels.MatMul.cs, Kernels.Elementwise.cs, …).
/// Every kernel checks its lengths first and computes each output element in one fixed order, so results
/// are bit-identical whatever <see cref="Threads"/> is.
/// </summary>
public static partial class Kernels
{
    private static int _threads = 1;

    /// <summary>Maximum number of threads a kernel may use (≥ 1). Work is split over output elements only.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(Threads), value, "must be at least 1");
            _threads = value;
        }
    }

    private static void CheckLength(int actual, long expected, string name)
    {
        if (actual < expected) throw new ArgumentException($"{name} has {actual} elements, expected at least {expected}", name);
    }
}
