using TrainingService.Engine.Data;

namespace TrainingService.Engine.Training;

/// <summary>
/// Compiles a run's training step while its dataset is still loading. The engine's code is compiled on first use,
/// and the first step of a run compiles some 70 methods (the GEMM and its packers, the layers, the loss, the
/// optimizer, the evaluator): ~110 ms here, a sixth of a five-epoch MNIST run, spent while the second core sits
/// idle waiting for the file to be parsed. A warm-up trains the same network shape, loss and optimizer for two
/// steps on a small synthetic table on a background thread; whatever it has compiled by the time the real run
/// starts is not compiled again (a method being compiled is waited for, never compiled twice), so the real run is
/// never slower than without it, and the time saved is saved on the wall clock, not moved out of a measurement.
/// </summary>
public static class JitWarmup
{
    /// <summary>Input width of the synthetic table: wide enough that its first layer takes the parallel GEMM path.</summary>
    internal const int Features = 256;

    /// <summary>Warm-ups that ran to the end in this process (for tests).</summary>
    internal static int Completed => _completed;

    private static int _completed;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Started = new();

    /// <summary>
    /// Starts the warm-up on a background thread and returns it, or null when there is nothing worth compiling ahead:
    /// gradient-free search and numerical gradients spend their time elsewhere, and a process compiles each
    /// combination of optimizer, activations, loss and initializer once (a service warms up for its first run of a
    /// kind, not for every run). Never throws: a spec the warm-up cannot use is reported by the real run's validation.
    /// </summary>
    public static Thread? Start(RunSpec spec)
    {
        string type = spec.Optimizer?.Type ?? "adam";
        if (spec.Gradient == "numerical" || !OptimizerFactory.GradientTypes.Contains(type)) return null;
        var m = spec.Model;
        string key = $"{type}|{m?.Activation}|{m?.OutputActivation}|{m?.Init}|{spec.Loss}";
        if (!Started.TryAdd(key, true)) return null;
        var thread = new Thread(() =>
        {
            try { Run(spec); Interlocked.Increment(ref _completed); }
            catch (Exception) { /* best effort: the real run reports its own errors */ }
        })
        {
            IsBackground = true,
            Name = "JIT warm-up",
        };
        thread.Start();
        return thread;
    }

    private static void Run(RunSpec spec)
    {
        int batch = Math.Clamp(spec.BatchSize ?? 32, 1, 1024);
        int rows = 4 * batch, classes = 10;
        var rng = new Tensors.Rng(1);
        var x = new float[rows * Features];
        var y = new float[rows];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        for (int r = 0; r < rows; r++) y[r] = r % classes;
        var data = new Dataset { Name = "warm-up", X = x, Y = y, Count = rows, Features = Features, Classes = classes };
        var warm = new RunSpec
        {
            Name = "warm-up",
            // Half the rows train (two steps), a quarter each for the validation and test passes.
            Dataset = new DatasetSpec { ValidationFraction = 0.25, TestFraction = 0.25, Shuffle = false },
            Model = spec.Model,
            Loss = spec.Loss,
            Optimizer = spec.Optimizer,
            BatchSize = batch,
            Epochs = 1,
            Seed = 1,
        };
        TrainingSession.Create(warm, data).Run();
    }
}
