using TrainingService.Engine.Data;

namespace TrainingService.Engine.Training;

/// <summary>
/// Compiles a run's training step while the program is still reading its spec and loading the dataset. The engine's
/// code is compiled on first use, and the first step of a run compiles some 70 methods (the GEMM and its packers,
/// the layers, the loss, the optimizer, the evaluator): ~110 ms here, a sixth of a five-epoch MNIST run, spent while
/// the second core sits idle. A warm-up trains the same kind of network (same activations, loss and optimizer,
/// layers capped at 256 wide) for two steps on a small synthetic table on a background thread. What it has compiled
/// by the time the real run starts is not compiled again (a method being compiled is waited for, never compiled
/// twice); a warm-up still running then shares the cores with the run for its last few milliseconds. The time saved
/// is saved on the wall clock, not moved out of a measurement: the CLI's whole process finishes sooner.
/// </summary>
public static class JitWarmup
{
    /// <summary>Input width of the synthetic table: wide enough that its first layer takes the parallel GEMM path.</summary>
    internal const int Features = 256;

    /// <summary>
    /// The most common kind of run (Adam, ReLU, cross-entropy, a layer wide enough for the parallel products): a
    /// program can warm it up before it has even read its spec, which takes longer than one might think (the JSON
    /// reader is compiled on first use too), and then warm up the spec's own kind if that differs.
    /// </summary>
    public static RunSpec Typical => new()
    {
        Model = new ModelSpec { Hidden = [256], Activation = "relu" },
        Loss = "cross_entropy",
        Optimizer = new OptimizerSpec { Type = "adam" },
        BatchSize = 64,
    };

    /// <summary>Warm-ups that ran to the end in this process (for tests).</summary>
    internal static int Completed => _completed;

    private static int _completed;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Started = new();

    /// <summary>
    /// Queues a warm-up for <paramref name="spec"/>'s kind of run on a background thread and returns its task, or null
    /// when there is nothing worth compiling ahead: gradient-free search and numerical gradients spend their time
    /// elsewhere, and a process compiles each combination of optimizer, activations, loss and initializer once (a
    /// service warms up for its first run of a kind, not for every run). Warm-ups run one after another, never side
    /// by side, so together they occupy one core at most. Never throws: a spec the warm-up cannot use is reported by
    /// the real run's validation, not here.
    /// </summary>
    public static Task? Start(RunSpec spec)
    {
        string type = spec.Optimizer?.Type ?? SpecDefaults.Optimizer;
        if (spec.Gradient == "numerical" || SpecVocabulary.GradientOptimizer(type) is null) return null;
        var m = spec.Model;
        string key = $"{type}|{m?.Activation ?? SpecDefaults.Activation}|{m?.OutputActivation}|{m?.Init ?? SpecDefaults.Init}|{spec.Loss}";
        if (!Started.TryAdd(key, true)) return null;
        lock (Gate)
        {
            _last = _last.ContinueWith(_ =>
            {
                try { Run(spec); Interlocked.Increment(ref _completed); }
                catch (Exception) { /* best effort: the real run reports its own errors */ }
            }, CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
            return _last;
        }
    }

    private static readonly object Gate = new();
    private static Task _last = Task.CompletedTask;

    private static void Run(RunSpec spec)
    {
        // The same code paths at a bounded cost: layers up to 256 wide and batches up to 256 rows still take the
        // parallel products and row-block passes, at a few milliseconds per step.
        int batch = Math.Clamp(spec.BatchSize ?? SpecDefaults.BatchSize, 1, 256);
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
            Model = spec.Model is { } m ? new ModelSpec
            {
                Hidden = m.Hidden?.Select(w => Math.Clamp(w, 1, 256)).ToList(),
                Activation = m.Activation,
                OutputActivation = m.OutputActivation,
                Init = m.Init,
            } : null,
            Loss = spec.Loss,
            Optimizer = spec.Optimizer,
            BatchSize = batch,
            Epochs = 1,
            Seed = 1,
        };
        TrainingSession.Create(warm, data).Run();
    }
}
