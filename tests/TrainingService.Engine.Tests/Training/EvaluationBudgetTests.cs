using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary>Evaluation runs in chunks sized to a memory budget: a convolution's column buffers make a row cost
/// hundreds of kilobytes, so the chunk shrinks for conv nets and stays 512 rows for perceptrons; a row's outputs are the
/// same whichever chunk it falls in.</summary>
public sealed class EvaluationBudgetTests
{
    private static Network SmallCnn()
    {
        var relu = new Relu();
        var c1 = new Conv2d(0, new Shape(1, 28, 28), 32, (3, 3), (1, 1), (1, 1), relu);
        var p1 = new MaxPool2d(c1.Output, (2, 2), (2, 2));
        var c2 = new Conv2d(2, p1.Output, 64, (3, 3), (1, 1), (1, 1), relu);
        var p2 = new MaxPool2d(c2.Output, (2, 2), (2, 2));
        var net = new Network([c1, p1, c2, p2, new Flatten(p2.Output), new Dense(5, 3136, 128, relu), new Dense(6, 128, 10, new Identity())]);
        net.Initialize("default", new Rng(1));
        return net;
    }

    [Fact]
    public void AConvNetsChunkFitsTheBudgetAndAPerceptronsIsWhole()
    {
        var cnn = SmallCnn();
        var (ws, chunk) = Evaluator.CreateWorkspace(cnn);
        Assert.InRange(chunk, 8, Evaluator.MaxChunkRows - 1);
        Assert.True(ws.Floats + (long)chunk * cnn.Inputs <= Evaluator.BudgetFloats);
        Assert.True(ws.Floats > Evaluator.BudgetFloats / 2); // and uses most of it
        Assert.Equal(ws.Floats, cnn.CreateWorkspace(chunk, withGradients: false).Floats); // grown, it holds what one made for the chunk does

        var mlp = new Network([784, 128, 10], [new Relu(), new Identity()]);
        Assert.Equal(Evaluator.MaxChunkRows, Evaluator.CreateWorkspace(mlp).Rows);
    }

    [Fact]
    public void ARowsOutputDoesNotDependOnItsChunk()
    {
        var net = SmallCnn();
        int rows = Evaluator.CreateWorkspace(net).Rows + 7;
        var x = new Matrix(rows, net.Inputs);
        var rng = new Random(3);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)rng.NextDouble();
        Matrix all = net.Forward(x, net.CreateWorkspace(rows, withGradients: false));
        var one = new Matrix(1, net.Inputs);
        var ws = net.CreateWorkspace(1, withGradients: false);
        foreach (int r in new[] { 0, rows / 2, rows - 1 })
        {
            x.Row(r).CopyTo(one.Row(0));
            Assert.Equal(all.Row(r).ToArray(), net.Forward(one, ws).Row(0).ToArray());
        }
    }
}
