using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainingService.Benchmarks;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

// Usage:
//   bench gemm N [--threads T] [--reps R]      C = A·B for N×N float32; one JSON line; like the
//                                               peer's --gemm, R single calls timed one by one
//   bench mlp [--threads T] [--reps R]          the MLP training shapes, packed GEMM vs the simple
//                                               kernels; one JSON line per shape
//   bench layers small|lenet [--steps S] [--batch B]  each CNN layer's forward and backward time (batch 64)
//   bench update OPT [--threads T] [--reps R]   one optimizer step (adam, sgd, ...) over the parameters of
//                                               784-128-10 and of 784-1024-1024-10; ns per parameter
// GFLOP/s = 2·m·n·k / seconds; in mlp mode each rep times enough back-to-back calls to last ≥ 20 ms; the
// median over reps is reported (this machine is shared, so min/max are printed too, and
// gflops_per_cpu_second — flops per second of process CPU time, which time-sharing with other
// processes does not dilute; with T threads it is per core, and spinning workers lower it).

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0) return Usage();
int threads = IntOption("--threads", 1), reps = IntOption("--reps", 10);
Kernels.Threads = threads;

switch (args[0])
{
    case "gemm" when args.Length >= 2 && int.TryParse(args[1], out int n):
    {
        float[] a = Random(n * n, 1), b = Random(n * n, 2), c = new float[n * n];
        var s = MeasureCalls(2.0 * n * n * n, reps, () => Kernels.MatMul(a, b, c, n, n, n));
        Print(new { bench = "gemm", n, threads, reps, gflops = s.Median, gflops_min = s.Min, gflops_max = s.Max, gflops_per_cpu_second = s.PerCpuSecond, kernel = "packed" });
        return 0;
    }
    case "peak":
    {
        // Register-only FMA loop: this core's ceiling right now (the machine is shared and its clock varies).
        var s = Measure(2.0 * 16 * 24 * 100_000, reps, () => Peak.Fma(100_000));
        Print(new { bench = "peak", gflops = s.Median, gflops_max = s.Max, gflops_per_cpu_second = s.PerCpuSecond });
        return 0;
    }
    case "mlp":
    {
        // Forward Z = H·Wᵀ (TransB), backward dH = dZ·W (MatMul), dW = dZᵀ·H (TransA), H: batch×in, W: out×in.
        foreach (var (batch, inp, outp) in new[] { (64, 784, 128), (64, 128, 10), (256, 784, 1024), (256, 1024, 1024), (256, 1024, 10), (128, 256, 256) })
        {
            float[] h = Random(batch * inp, 1), w = Random(outp * inp, 2), z = new float[batch * outp];
            float[] dh = new float[batch * inp], dw = new float[outp * inp];
            double flops = 2.0 * batch * inp * outp;
            var cases = new (string op, string shape, Action packed, Action simple)[]
            {
                ("forward Z=H·Wᵀ", $"{batch}×{inp}·({outp}×{inp})ᵀ",
                    () => Kernels.MatMulTransB(h, w, z, batch, inp, outp), () => SimpleKernels.MatMulTransB(h, w, z, batch, inp, outp)),
                ("backward dH=dZ·W", $"{batch}×{outp}·{outp}×{inp}",
                    () => Kernels.MatMul(z, w, dh, batch, outp, inp), () => SimpleKernels.MatMul(z, w, dh, batch, outp, inp)),
                ("backward dW=dZᵀ·H", $"({batch}×{outp})ᵀ·{batch}×{inp}",
                    () => Kernels.MatMulTransA(z, h, dw, outp, batch, inp), () => SimpleKernels.MatMulTransA(z, h, dw, outp, batch, inp)),
            };
            foreach (var (op, shape, packed, simple) in cases)
            {
                // Interleave the two kernels rep by rep so that background load hits both alike.
                var p = new List<double>(); var q = new List<double>();
                for (int r = 0; r < reps; r++) { p.Add(Measure(flops, 1, packed).Median); q.Add(Measure(flops, 1, simple).Median); }
                double pm = Median(p), qm = Median(q);
                Print(new { bench = "mlp", op, shape, threads, reps, gflops = Math.Round(pm, 2), simple_gflops = Math.Round(qm, 2), speedup = Math.Round(pm / qm, 2) });
            }
        }
        return 0;
    }
    case "update" when args.Length >= 2:
    {
        foreach (int[] widths in new[] { new[] { 784, 128, 10 }, new[] { 784, 1024, 1024, 10 } })
        {
            var parameters = new List<Parameter>();
            for (int l = 1; l < widths.Length; l++)
            {
                parameters.Add(new Parameter($"W{l}", widths[l], widths[l - 1]));
                parameters.Add(new Parameter($"b{l}", 1, widths[l]));
            }
            int seed = 1;
            foreach (var p in parameters) { Random(p.Length, seed++).CopyTo(p.Data, 0); Random(p.Length, seed++).CopyTo(p.Grad, 0); }
            long count = parameters.Sum(p => (long)p.Length);
            Optimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Type = args[1], LearningRate = 1e-6 });
            // "flops" here = parameters, so the figure reads as giga-parameters per second.
            var s = Measure(count, reps, () => optimizer.Step(parameters));
            Print(new { bench = "update", optimizer = args[1], parameters = count, threads, reps, ns_per_parameter = Math.Round(1 / s.Median, 3), ns_per_parameter_best = Math.Round(1 / s.Max, 3) });
        }
        return 0;
    }
    case "convgemm":
    {
        // The small CNN's second convolution at batch 64 as products, in both orientations: F=64 filters,
        // K=288 (32 channels × 3×3), P=12544 (64 samples × 14×14 positions).
        int f = IntOption("--filters", 64), k = IntOption("--window", 288), p = IntOption("--columns", 12544);
        float[] w = Random(f * k, 1), cols = Random(k * p, 2), prod = new float[f * p], colsT = Random(p * k, 3), dcols = new float[k * p], dwt = new float[k * f];
        double flops = 2.0 * f * k * p;
        var cases = new (string op, Action run)[]
        {
            ("forward W·cols (F×K·K×P)", () => Kernels.MatMul(w, cols, prod, f, k, p)),
            ("forward colsᵀ·Wᵀ (P×K·(F×K)ᵀ)", () => Kernels.MatMulTransB(colsT, w, prod, p, k, f)),
            ("dWᵀ = cols·dZᵀ (K×P·(F×P)ᵀ)", () => Kernels.MatMulTransB(cols, prod, dwt, k, p, f)),
            ("dW = dZ·colsᵀ (F×P·(K×P)ᵀ)", () => Kernels.MatMulTransB(prod, cols, dwt, f, p, k)),
            ("dCols = Wᵀ·dZ ((F×K)ᵀ·F×P)", () => Kernels.MatMulTransA(w, prod, dcols, k, f, p)),
            ("dColsᵀ = dZᵀ·W ((F×P)ᵀ... P×F·F×K)", () => Kernels.MatMul(prod, w, colsT, p, f, k)),
        };
        var results = cases.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < cases.Length; i++) results[i].Add(Measure(flops, 1, cases[i].run).PerCpuSecond);
        for (int i = 0; i < cases.Length; i++) Print(new { bench = "convgemm", op = cases[i].op, threads, reps, gflops_per_cpu_second = Math.Round(Median(results[i]), 1) });
        return 0;
    }
    case "layers":
    {
        LayerTimes.Run(args.Length >= 2 && !args[1].StartsWith("--") ? args[1] : "small", IntOption("--steps", 100), IntOption("--batch", 64), Print);
        return 0;
    }
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench gemm N | mlp | layers ARCH | update OPT  [--threads T] [--reps R]");
    return 2;
}

int IntOption(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static (double Median, double Min, double Max, double PerCpuSecond) Measure(double flopsPerCall, int reps, Action call)
{
    call(); // warm-up (JIT tiers, packing buffers, worker threads)
    var sw = Stopwatch.StartNew();
    int calls = 0;
    while (sw.Elapsed.TotalMilliseconds < 30 || calls < 2) { call(); calls++; }
    int perRep = Math.Max(1, (int)(calls * 20.0 / sw.Elapsed.TotalMilliseconds));
    var g = new List<double>();
    var cpu = new List<double>();
    for (int r = 0; r < reps; r++)
    {
        TimeSpan c0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < perRep; i++) call();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds;
        g.Add(flopsPerCall * perRep / seconds / 1e9);
        cpu.Add(flopsPerCall * perRep / Math.Max(cpuSeconds, 1e-9) / 1e9);
    }
    g.Sort();
    return (Math.Round(Median(g), 2), Math.Round(g[0], 2), Math.Round(g[^1], 2), Math.Round(Median(cpu), 2));
}

// Like the peer's --gemm: a warm-up, then each of `reps` single calls timed on its own.
static (double Median, double Min, double Max, double PerCpuSecond) MeasureCalls(double flopsPerCall, int reps, Action call)
{
    for (int i = 0; i < 3; i++) call(); // warm-up (JIT, packing buffers, worker threads)
    var g = new List<double>();
    var cpu = new List<double>();
    for (int r = 0; r < reps; r++)
    {
        TimeSpan c0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        call();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds;
        g.Add(flopsPerCall / seconds / 1e9);
        cpu.Add(flopsPerCall / Math.Max(cpuSeconds, 1e-9) / 1e9);
    }
    g.Sort();
    return (Math.Round(Median(g), 2), Math.Round(g[0], 2), Math.Round(g[^1], 2), Math.Round(Median(cpu), 2));
}

static double Median(List<double> x)
{
    var s = x.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static float[] Random(int length, int seed)
{
    var rng = new Random(seed);
    var x = new float[length];
    for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
    return x;
}

static void Print(object o) => Console.WriteLine(JsonSerializer.Serialize(o, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
