using System.Diagnostics;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Benchmarks;

/// <summary>
/// <c>bench layers small|lenet</c>: where a CNN training step's time goes — each layer's forward and backward
/// (its activation's derivative included) over a batch (64 unless --batch) of MNIST-shaped inputs, as milliseconds per step and
/// GFLOP/s of the layer's multiply-adds (2 per MAC; backward counts dW and, below the first layer, dX). Times are the
/// calling thread's CPU time, which other processes on a shared machine dilute far less than the wall clock; run it
/// with --threads 1 (the default), where all of a layer's work is on that thread.
/// </summary>
internal static class LayerTimes
{
    public static ILayer[] Architecture(string arch)
    {
        var relu = new Relu();
        var id = new Identity();
        if (arch == "lenet")
        {
            var c1 = new Conv2d(0, new Shape(1, 28, 28), 6, (5, 5), (1, 1), (0, 0), relu);
            var p1 = new MaxPool2d(c1.Output, (2, 2), (2, 2));
            var c2 = new Conv2d(2, p1.Output, 16, (5, 5), (1, 1), (0, 0), relu);
            var p2 = new MaxPool2d(c2.Output, (2, 2), (2, 2));
            return [c1, p1, c2, p2, new Flatten(p2.Output), new Dense(4, 256, 120, relu), new Dense(5, 120, 84, relu), new Dense(6, 84, 10, id)];
        }
        var a1 = new Conv2d(0, new Shape(1, 28, 28), 32, (3, 3), (1, 1), (1, 1), relu);
        var q1 = new MaxPool2d(a1.Output, (2, 2), (2, 2));
        var a2 = new Conv2d(2, q1.Output, 64, (3, 3), (1, 1), (1, 1), relu);
        var q2 = new MaxPool2d(a2.Output, (2, 2), (2, 2));
        return [a1, q1, a2, q2, new Flatten(q2.Output), new Dense(4, 3136, 128, relu), new Dense(5, 128, 10, id)];
    }

    public static void Run(string arch, int steps, int batch, Action<object> print)
    {
        var net = new Network(Architecture(arch));
        net.Initialize("default", new Rng(1));
        var ws = net.CreateWorkspace(batch, withGradients: true);
        var x = new Matrix(batch, net.Inputs);
        var rng = new Random(1);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)rng.NextDouble();
        net.Forward(x, ws); // sizes the buffers to the batch
        int n = net.Layers.Count;
        var fwd = new double[n]; var bwd = new double[n];
        for (int s = -5; s < steps; s++)
        {
            Matrix h = x;
            for (int l = 0; l < n; l++)
            {
                long t0 = ThreadCpu.Now();
                net.Layers[l].Forward(h, ws.Buffers[l]);
                if (s >= 0) fwd[l] += ThreadCpu.MillisecondsSince(t0);
                h = ws.Buffers[l].A;
            }
            for (int i = 0; i < ws.DZ[^1].Data.Length; i++) ws.DZ[^1].Data[i] = 0.01f * (i % 7 - 3);
            for (int l = n - 1; l >= 0; l--)
            {
                long t0 = ThreadCpu.Now();
                var b = ws.Buffers[l];
                if (l < n - 1) net.Layers[l].Activation.Backward(b.Z.Span, b.A.Span, b.DA!.Span, b.DZ!.Span);
                net.Layers[l].Backward(l == 0 ? x : ws.Buffers[l - 1].A, b, l == 0 ? null : ws.Buffers[l - 1].DA);
                if (s >= 0) bwd[l] += ThreadCpu.MillisecondsSince(t0);
            }
        }
        double total = fwd.Sum() + bwd.Sum();
        for (int l = 0; l < n; l++)
        {
            var layer = net.Layers[l];
            double macs = layer switch
            {
                Conv2d c => (double)batch * c.Output.Size * c.Weights.Cols,
                Dense d => (double)batch * d.Weights.Rows * d.Weights.Cols,
                _ => 0,
            };
            double backMacs = macs * (l == 0 ? 1 : 2);
            print(new
            {
                bench = "layers", arch, layer = l, kind = layer.Kind, shape = layer.Output.ToString(),
                forward_ms = Math.Round(fwd[l] / steps, 3), backward_ms = Math.Round(bwd[l] / steps, 3),
                share = Math.Round((fwd[l] + bwd[l]) / total, 3),
                forward_gflops = macs > 0 ? Math.Round(2 * macs / (fwd[l] / steps * 1e-3) / 1e9, 1) : 0,
                backward_gflops = macs > 0 ? Math.Round(2 * backMacs / (bwd[l] / steps * 1e-3) / 1e9, 1) : 0,
            });
        }


        print(new { bench = "layers", arch, step_ms = Math.Round(total / steps, 3), samples_per_second = Math.Round(batch / (total / steps * 1e-3)) });
    }

    /// <summary>This thread's CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), Linux).</summary>
    private static class ThreadCpu
    {
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct TimeSpec { public long Seconds, Nanoseconds; }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        public static long Now()
        {
            ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t);
            return t.Seconds * 1_000_000_000 + t.Nanoseconds;
        }

        public static double MillisecondsSince(long start) => (Now() - start) / 1e6;
    }
}
