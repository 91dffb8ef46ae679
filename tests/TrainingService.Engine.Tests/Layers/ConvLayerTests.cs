using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Losses;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Tests.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Layers;

/// <summary>The image layers through <see cref="ILayer"/> alone: finite differences of every gradient, dropout's
/// training-only mask, and a conv net's training bit-identical on 1 and 2 threads.</summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class ConvLayerTests
{
    public static TheoryData<string> Kinds() => new() { "conv", "conv_stride_pad_rect", "conv_column_stride_wide_pad", "maxpool_overlapping", "avgpool_rect", "flatten", "activation" };

    private static ILayer Create(string kind) => kind switch
    {
        "conv" => new Conv2d(0, new Shape(2, 5, 6), 3, (3, 3), (1, 1), (0, 0), new Tanh()),
        "conv_stride_pad_rect" => new Conv2d(0, new Shape(2, 5, 6), 3, (2, 3), (2, 1), (1, 2), new Sigmoid()),
        // stride across columns, and padding wider than the kernel reaches: whole padded rows and columns of windows
        "conv_column_stride_wide_pad" => new Conv2d(0, new Shape(2, 5, 7), 3, (3, 2), (1, 3), (2, 2), new Identity()),
        "maxpool_overlapping" => new MaxPool2d(new Shape(2, 5, 6), (2, 2), (1, 1)),
        "avgpool_rect" => new AvgPool2d(new Shape(2, 5, 6), (3, 2), (2, 2)),
        "flatten" => new Flatten(new Shape(2, 5, 6)),
        _ => new ActivationLayer(new Shape(2, 5, 6), new Tanh()),
    };

    /// <summary>L = Σ R ⊙ A for fixed random R: ∂L/∂Z by the layer's activation (as the network does), then Backward;
    /// every parameter's gradient and the input's against central differences. Inputs are distinct and 0.05 apart,
    /// so no max-pool window changes its maximum within a difference step.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackwardMatchesFiniteDifferences(string kind)
    {
        const int rows = 3;
        ILayer layer = Create(kind);
        var rng = new Rng(11);
        layer.Initialize("default", rng);
        var x = new Matrix(rows, layer.Input.Size);
        int[] order = [.. Enumerable.Range(0, x.Length).OrderBy(_ => rng.NextDouble())];
        for (int i = 0; i < x.Length; i++) x.Data[i] = (order[i] - x.Length / 2) * (kind.StartsWith("maxpool") ? 0.05f : 0.01f);
        float[] r = new float[rows * layer.Output.Size];
        for (int i = 0; i < r.Length; i++) r[i] = (float)rng.Uniform(-1, 1);
        LayerGradientCheck.AssertBackwardMatchesFiniteDifferences(layer, x, r, $"{kind} ");
    }

    /// <summary>A batch runs through a conv layer a few samples at a time (its chunks, in groups that threads take
    /// whole): the same bits on 1 and 2 threads; each sample's Z and ∂L/∂input are what it gets alone, and dW, db are the
    /// sums of the samples' own (up to rounding: the chunks' partial sums).</summary>
    [Theory]
    [InlineData(5)]  // 3 chunks, a region each: the backward pass reuses the forward's columns
    [InlineData(21)] // 11 chunks in 8 groups: some groups redo a chunk's columns
    public void ABatchInChunksGivesEachSamplesOwnResultsAndTheSumOfTheirGradients(int rows)
    {
        var layer = new Conv2d(1, new Shape(8, 24, 24), 16, (3, 3), (1, 1), (1, 1), new Tanh());
        Assert.Equal(2, layer.ChunkSamples);
        var rng = new Rng(4);
        layer.Initialize("default", rng);
        var x = new Matrix(rows, layer.Input.Size);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.Uniform(-1, 1);
        var dz = new float[rows * layer.Output.Size];
        for (int i = 0; i < dz.Length; i++) dz[i] = (float)rng.Uniform(-1, 1);

        Assert.True(layer.Groups(rows) >= 2); // on 2 threads the groups run side by side
        (LayerBuffers, Matrix, float[], float[]) Batch(int threads)
        {
            int saved = Kernels.Threads;
            try
            {
                Kernels.Threads = threads;
                var buffers = layer.CreateBuffers(rows, withGradients: true);
                buffers.SetRows(rows);
                layer.Forward(x, buffers);
                dz.CopyTo(buffers.DZ!.Data, 0);
                var dInput = new Matrix(rows, layer.Input.Size);
                layer.Backward(x, buffers, dInput);
                return (buffers, dInput, [.. layer.Weights.Grad], [.. layer.Bias.Grad]);
            }
            finally { Kernels.Threads = saved; }
        }
        var (all, dx, dW, db) = Batch(1);
        var (all2, dx2, dW2, db2) = Batch(2);
        Assert.Equal(all.Z.Data, all2.Z.Data);
        Assert.Equal(dx.Data, dx2.Data);
        Assert.Equal(dW, dW2);
        Assert.Equal(db, db2);

        var sumW = new double[dW.Length]; var sumB = new double[db.Length];
        var one = layer.CreateBuffers(1, withGradients: true);
        one.SetRows(1);
        var xi = new Matrix(1, layer.Input.Size); var dxi = new Matrix(1, layer.Input.Size);
        for (int n = 0; n < rows; n++)
        {
            x.Row(n).CopyTo(xi.Row(0));
            layer.Forward(xi, one);
            Assert.Equal(all.Z.Row(n).ToArray(), one.Z.Row(0).ToArray());
            dz.AsSpan(n * layer.Output.Size, layer.Output.Size).CopyTo(one.DZ!.Row(0));
            layer.Backward(xi, one, dxi);
            Assert.Equal(dx.Row(n).ToArray(), dxi.Row(0).ToArray());
            for (int i = 0; i < dW.Length; i++) sumW[i] += layer.Weights.Grad[i];
            for (int i = 0; i < db.Length; i++) sumB[i] += layer.Bias.Grad[i];
        }
        for (int i = 0; i < dW.Length; i++) Assert.True(Math.Abs(dW[i] - sumW[i]) <= 1e-4 * (1 + Math.Abs(sumW[i])), $"dW[{i}] {dW[i]} vs {sumW[i]}");
        for (int i = 0; i < db.Length; i++) Assert.True(Math.Abs(db[i] - sumB[i]) <= 1e-4 * (1 + Math.Abs(sumB[i])), $"db[{i}] {db[i]} vs {sumB[i]}");
    }

    [Fact]
    public void ShapesFollowPyTorch()
    {
        Assert.Equal(new Shape(6, 24, 24), new Conv2d(0, new Shape(1, 28, 28), 6, (5, 5), (1, 1), (0, 0), new Relu()).Output);
        Assert.Equal(new Shape(4, 4, 7), new Conv2d(0, new Shape(3, 7, 7), 4, (3, 3), (2, 1), (1, 1), new Relu()).Output);
        Assert.Equal(new Shape(6, 12, 12), new MaxPool2d(new Shape(6, 24, 24), (2, 2), (2, 2)).Output);
        Assert.Equal(new Shape(4, 3, 3), new AvgPool2d(new Shape(4, 7, 7), (3, 3), (2, 2)).Output);
        Assert.Equal(Shape.Flat(96), new Flatten(new Shape(6, 4, 4)).Output);
        var conv = new Conv2d(3, new Shape(2, 8, 8), 5, (3, 3), (1, 1), (1, 1), new Relu());
        Assert.Equal([("layers[3].weight", 5, 18), ("layers[3].bias", 1, 5)], conv.Parameters.Select(p => (p.Name, p.Rows, p.Cols)));
        Assert.Contains("larger than the 4×4 input", Assert.Throws<ArgumentException>(() => new MaxPool2d(new Shape(1, 4, 4), (5, 5), (5, 5))).Message);
    }

    [Fact]
    public void DropoutZeroesAndScalesOnlyWhileTrainingAndRoutesTheGradientThroughItsMask()
    {
        var layer = new Dropout(Shape.Flat(1000), 0.25, new Rng(5));
        var x = new Matrix(4, 1000);
        x.Data.AsSpan().Fill(2f);
        var train = layer.CreateBuffers(4, withGradients: true);
        train.SetRows(4);
        layer.Forward(x, train);
        int zeros = train.A.ReadOnly.ToArray().Count(v => v == 0);
        Assert.InRange(zeros, 800, 1200); // 25 % of 4000
        Assert.All(train.A.ReadOnly.ToArray(), v => Assert.True(v == 0 || v == 2f / 0.75f, $"{v}"));
        train.DZ!.Span.Fill(1f);
        var dx = new Matrix(4, 1000);
        layer.Backward(x, train, dx);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(train.A.Data[i] == 0 ? 0f : 1f / 0.75f, dx.Data[i]);

        var eval = layer.CreateBuffers(4, withGradients: false);
        eval.SetRows(4);
        layer.Forward(x, eval);
        Assert.All(eval.A.ReadOnly.ToArray(), v => Assert.Equal(2f, v));
    }

    /// <summary>A small CNN on MNIST-sized batches, large enough that the GEMM and the row passes split across
    /// threads: five Adam steps with dropout give bit-identical outputs and parameters on 1 and 2 threads.</summary>
    [Fact]
    public void ConvNetTrainsBitIdenticallyOnOneAndTwoThreads()
    {
        int saved = Kernels.Threads;
        try
        {
            Kernels.Threads = 1; var one = Train();
            Kernels.Threads = 2; var two = Train();
            Assert.Equal(one.Output, two.Output);
            Assert.Equal(one.Parameters, two.Parameters);
        }
        finally { Kernels.Threads = saved; }
    }

    private static (float[] Output, float[] Parameters) Train()
    {
        LayerSpec[] spec =
        [
            new() { Type = "conv2d", Filters = 8, Kernel = 3, Padding = 1 }, new() { Type = "relu" },
            new() { Type = "maxpool2d", Kernel = 2 },
            new() { Type = "conv2d", Filters = 16, Kernel = 3 }, new() { Type = "relu" },
            new() { Type = "avgpool2d", Kernel = 2 }, new() { Type = "flatten" }, new() { Type = "dropout", Rate = 0.3 },
        ];
        var net = new Network(LayerStack.Build(new Shape(1, 28, 28), spec, 10, new Softmax(), seed: 9));
        net.Initialize("default", new Rng(3));
        const int rows = 64;
        var rng = new Rng(4);
        var x = new Matrix(rows, 784);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextDouble();
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = i % 10;
        var ws = net.CreateWorkspace(rows, withGradients: true);
        var loss = Loss.Create("cross_entropy");
        var opt = OptimizerFactory.Create(new OptimizerSpec { Type = "adam", LearningRate = 0.01 });
        Matrix output = null!;
        for (int step = 0; step < 5; step++)
        {
            output = net.Forward(x, ws);
            loss.Evaluate(ws.Z[^1], output, y, net.OutputActivation, ws.DZ[^1].Span);
            net.Backward(x, ws);
            opt.Step(net.Parameters);
        }
        return (output.ReadOnly.ToArray(), net.GetFlatParameters());
    }
}
