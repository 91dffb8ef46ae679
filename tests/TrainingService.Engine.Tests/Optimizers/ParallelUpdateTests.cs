using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Tests.Tensors;

namespace TrainingService.Engine.Tests.Optimizers;

/// <summary>
/// With two kernel threads an update over enough elements is cut into chunks that run on different threads; every
/// rule is element-wise, so the parameters and the state must come out bit-identical to the one-thread update.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class ParallelUpdateTests
{
    public static TheoryData<string> Names => ["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw"];

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.05, 0.01),
        "momentum" => new Momentum(0.05, 0.9, 0.01),
        "nesterov" => new Nesterov(0.05, 0.9, 0.01),
        "adagrad" => new Adagrad(0.05),
        "adadelta" => new Adadelta(1.0),
        "rmsprop" => new RmsProp(0.01),
        "adam" => new Adam(0.01, weightDecay: 0.01),
        "adamw" => new AdamW(0.01, weightDecay: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A weight matrix of 300×401 (not a multiple of the chunk size) and a bias vector of 300.</summary>
    private static List<Parameter> Parameters(int seed)
    {
        var rng = new Rng((ulong)seed);
        var list = new List<Parameter> { new("w", 300, 401), new("b", 1, 300) };
        foreach (var p in list)
            for (int i = 0; i < p.Length; i++) p.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return list;
    }

    private static void Gradients(List<Parameter> ps, int step)
    {
        var rng = Rng.ForStream(step, "grad");
        foreach (var p in ps)
            for (int i = 0; i < p.Length; i++) p.Grad[i] = (float)(rng.NextDouble() - 0.5);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ChunkedUpdateOnTwoThreadsIsBitIdenticalToOneThread(string name)
    {
        Assert.True(300 * 401 + 300 >= Optimizer.ParallelElements, "the test tensors are large enough to be split");
        int saved = Kernels.Threads;
        try
        {
            var results = new List<float[]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Kernels.Threads = threads;
                var ps = Parameters(3);
                var opt = Create(name);
                long dispatches = WorkerPool.Shared.Dispatches;
                for (int step = 1; step <= 4; step++) { Gradients(ps, step); opt.Step(ps); }
                if (threads == 2) Assert.True(WorkerPool.Shared.Dispatches > dispatches, "the update was handed to the workers");
                results.Add([.. ps.SelectMany(p => p.Data)]);
            }
            Assert.Equal(results[0], results[1]);
            Assert.NotEqual(Parameters(3).SelectMany(p => p.Data), results[0]); // the update did something
        }
        finally { Kernels.Threads = saved; }
    }

    /// <summary>
    /// The squared gradient norms the update sums as it goes: the same as a separate pass over the gradients
    /// (<see cref="Optimizer.SquaredNorm"/>), the same for one thread and two, and the update itself unchanged.
    /// </summary>
    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void NormsSummedDuringTheUpdateMatchASeparatePassOnAnyThreadCount(string name)
    {
        int saved = Kernels.Threads;
        try
        {
            var norms = new List<double[]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Kernels.Threads = threads;
                List<Parameter> fused = Parameters(4), plain = Parameters(4);
                Optimizer a = Create(name), b = Create(name);
                double[] squares = new double[2];
                for (int step = 1; step <= 3; step++)
                {
                    Gradients(fused, step); Gradients(plain, step);
                    double[] expected = [.. fused.Select(p => Optimizer.SquaredNorm(p.Grad))];
                    double naive = fused[0].Grad.Sum(g => (double)g * g);
                    a.Step(fused, squares); b.Step(plain);
                    Assert.Equal(expected, squares);
                    Assert.Equal(naive, squares[0], naive * 1e-12); // it is ‖g‖², whatever the summation order
                    Assert.Equal(plain.SelectMany(p => p.Data), fused.SelectMany(p => p.Data));
                }
                norms.Add(squares);
            }
            Assert.Equal(norms[0], norms[1]);
        }
        finally { Kernels.Threads = saved; }
    }

    [Fact]
    public void TooFewNormSlotsIsRejectedBeforeAnyUpdate()
    {
        var ps = Parameters(5);
        float[] before = [.. ps[0].Data];
        var ex = Assert.Throws<ArgumentException>(() => new Adam(0.01).Step(ps, new double[1]));
        Assert.Equal("squaredNorms", ex.ParamName);
        Assert.Equal(before, ps[0].Data);
    }
}
