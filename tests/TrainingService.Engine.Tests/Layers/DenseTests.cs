using TrainingService.Engine.Activations;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Layers;

/// <summary>The layer interface, exercised through <see cref="ILayer"/> alone, and the sequential network built on it.</summary>
public sealed class DenseTests
{
    [Fact]
    public void ShapesParametersAndBuffersFollowTheLayer()
    {
        ILayer layer = new Dense(2, 5, 3, new Tanh());
        Assert.Equal("dense", layer.Kind);
        Assert.Equal(Shape.Flat(5), layer.Input);
        Assert.Equal(Shape.Flat(3), layer.Output);
        // The names and the order model files, checkpoints and flat parameter vectors rely on.
        Assert.Equal(["layers[2].weight", "layers[2].bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([(3, 5), (1, 3)], layer.Parameters.Select(p => (p.Rows, p.Cols)));
        var training = layer.CreateBuffers(4, withGradients: true);
        Assert.All(new[] { training.Z, training.A, training.DZ!, training.DA! }, m => Assert.Equal((4, 3), (m.Rows, m.Cols)));
        var evaluation = layer.CreateBuffers(4, withGradients: false);
        Assert.Null(evaluation.DZ);
        Assert.Null(evaluation.DA);
    }

    /// <summary>
    /// L = Σ R ⊙ A for fixed random R. Through the interface: Forward, then ∂L/∂Z = R ⊙ f'(Z) by the layer's activation
    /// (what the network does between layers), then Backward; every gradient — W, b and the input — against central
    /// differences of L.
    /// </summary>
    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("identity")]
    public void BackwardMatchesFiniteDifferencesThroughTheInterface(string activation)
    {
        const int rows = 5, inputs = 4, outputs = 3;
        ILayer layer = new Dense(0, inputs, outputs, Activation.Create(activation));
        var rng = new Rng(7);
        layer.Initialize("default", rng);
        var x = new Matrix(rows, inputs);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.Uniform(-1, 1);
        float[] r = new float[rows * outputs];
        for (int i = 0; i < r.Length; i++) r[i] = (float)rng.Uniform(-1, 1);
        LayerGradientCheck.AssertBackwardMatchesFiniteDifferences(layer, x, r, "");
    }

    [Fact]
    public void ANetworkOfLayersRefusesShapesThatDoNotChainAndNamesTheLayer()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Network([new Dense(0, 4, 3, new Relu()), new Dense(1, 5, 2, new Identity())]));
        Assert.Contains("layers[1]: its input is 5, but layers[0] outputs 3", ex.Message);
        Assert.Throws<ArgumentException>(() => new Network(Array.Empty<ILayer>()));
    }

    [Fact]
    public void ANetworkOfLayersIsThePerceptronItsSizesDescribe()
    {
        var fromLayers = new Network([new Dense(0, 3, 4, new Tanh()), new Dense(1, 4, 2, new Identity())]);
        var fromSizes = new Network([3, 4, 2], [new Tanh(), new Identity()]);
        fromLayers.Initialize("default", new Rng(3));
        fromSizes.Initialize("default", new Rng(3));
        Assert.Equal(fromSizes.Parameters.Select(p => p.Name), fromLayers.Parameters.Select(p => p.Name));
        Assert.Equal(fromSizes.GetFlatParameters(), fromLayers.GetFlatParameters());
        Assert.Equal([0, 0, 1, 1], Enumerable.Range(0, 4).Select(fromLayers.LayerOf));
        Assert.Equal((Shape.Flat(3), Shape.Flat(2), 3, 2), (fromLayers.InputShape, fromLayers.OutputShape, fromLayers.Inputs, fromLayers.Outputs));
        var x = new Matrix(2, 3, [0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f]);
        Assert.Equal(fromSizes.Forward(x, fromSizes.CreateWorkspace(2, false)).ReadOnly.ToArray(),
            fromLayers.Forward(x, fromLayers.CreateWorkspace(2, false)).ReadOnly.ToArray());
    }
}
