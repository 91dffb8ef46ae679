using TrainingService.Engine.Data;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary><c>model.layers</c>: validation that names the layer and field, the network it builds, per-layer gradient
/// norms, resuming bit-identically (dropout's streams included), and model files that predict the same.</summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class LayerSpecTests
{
    /// <summary>3 classes of 1×6×6 images: a bright bar in the top, middle or bottom rows, plus noise.</summary>
    private static Dataset Bars(int count = 120)
    {
        var rng = new Rng(5);
        var x = new float[count * 36];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int cls = i % 3;
            y[i] = cls;
            for (int p = 0; p < 36; p++) x[i * 36 + p] = (float)(0.3 * rng.NextDouble() + (p / 6 / 2 == cls ? 1 : 0));
        }
        return new Dataset { Name = "bars", X = x, Y = y, Count = count, Features = 36, Classes = 3, Shape = new Shape(1, 6, 6) };
    }

    private const string Conv = """
        {"model":{"layers":[{"type":"conv2d","filters":4,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},
          {"type":"flatten"},{"type":"dropout","rate":0.2},{"type":"dense","units":8},{"type":"tanh"}]},
         "optimizer":{"type":"adam","learningRate":0.02},"batchSize":16,"epochs":4,"seed":3}
        """;

    private static SpecException Refused(string json, Dataset? data = null) =>
        Assert.Throws<SpecException>(() => TrainingSession.Create(SpecJson.Parse(json), data ?? Bars()));

    [Theory]
    [InlineData("""{"model":{"layers":[{"type":"conv2d","filters":2,"kernel":3},{"type":"maxpool2d","kernel":2},{"type":"conv2d","filters":2,"kernel":5}]}}""",
        "model.layers[2].kernel", "kernel 5 is larger than the 2×2 (2 channels) input of layer 2")]
    [InlineData("""{"model":{"layers":[{"type":"conv2d","filters":2,"kernel":[7,3]}]}}""", "model.layers[0].kernel", "kernel [7, 3] is larger than the 6×6 input of the dataset")]
    [InlineData("""{"model":{"layers":[{"type":"flatten","units":4}]}}""", "model.layers[0].units", "flatten does not take units")]
    [InlineData("""{"model":{"layers":[{"type":"conv3d"}]}}""", "model.layers[0].type", "'conv3d' is not one of: dense, conv2d")]
    [InlineData("""{"model":{"layers":[{"type":"conv2d","kernel":3}]}}""", "model.layers[0].filters", "required")]
    [InlineData("""{"model":{"layers":[{"type":"dense","units":4}]}}""", "model.layers[0].type", "dense needs a flat input, but gets the 6×6 input of the dataset: put { \"type\": \"flatten\" } before it")]
    [InlineData("""{"model":{"layers":[{"type":"flatten"},{"type":"maxpool2d","kernel":2}]}}""", "model.layers[1].type", "maxpool2d needs an image input (C×H×W), but layer 1 outputs a flat 36")]
    [InlineData("""{"model":{"layers":[{"type":"dropout","rate":1}]}}""", "model.layers[0].rate", "must be in [0, 1), got 1")]
    [InlineData("""{"model":{"layers":[{"type":"conv2d","filters":2,"kernel":3,"stride":0}]}}""", "model.layers[0].stride", "must be between 1 and 1024, got 0")]
    [InlineData("""{"model":{"layers":[{"type":"flatten"}],"hidden":[4]}}""", "model.hidden", "not used with model.layers")]
    [InlineData("""{"model":{"layers":[{"type":"flatten"}],"activation":"relu"}}""", "model.activation", "not used with model.layers")]
    [InlineData("""{"model":{"layers":[{"type":"conv2d","filters":2,"kernel":3}]}}""", "model.layers", "end with { \"type\": \"flatten\" }")]
    [InlineData("""{"model":{"layers":[{"type":"flatten"},{"type":"dropout","rate":0.5}]},"gradientCheck":true}""", "gradientCheck", "model.layers[1] is dropout at rate 0.5: its mask is a random draw")]
    [InlineData("""{"model":{"layers":[{"type":"flatten"},{"type":"dropout","rate":0.5}]},"gradient":"numerical"}""", "gradient", "model.layers[1] is dropout at rate 0.5: central differences need the same loss twice")]
    public void AProblemNamesTheLayerAndFieldAndExplainsTheShape(string json, string path, string message)
    {
        var ex = Refused(json);
        Assert.Contains(ex.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AConvLayerOnAFlatDatasetIsRefused()
    {
        var ex = Assert.Throws<SpecException>(() => TrainingRuns.Session("""{"dataset":{"name":"spiral"},"model":{"layers":[{"type":"conv2d","filters":2,"kernel":1}]}}"""));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("model.layers[0].type", e.Path);
        Assert.Contains("needs an image dataset (C×H×W); this dataset's samples are flat (2 features)", e.Message);
    }

    [Theory]
    [InlineData("""{"type":"conv2d","filters":2,"kernel":"3"}""")]
    [InlineData("""{"type":"conv2d","filters":2,"kernel":[3]}""")]
    [InlineData("""{"type":"conv2d","filters":2,"kernel":[3,3,3]}""")]
    public void AKernelIsANumberOrAPair(string layer)
    {
        var ex = Assert.Throws<SpecException>(() => SpecJson.Parse("{\"model\":{\"layers\":[" + layer + "]}}"));
        Assert.StartsWith("model.layers[0].kernel", ex.Errors[0].Path);
    }

    [Fact]
    public void TheStackIsBuiltWithActivationsFusedAndDefaultsFilledIn()
    {
        var s = TrainingSession.Create(SpecJson.Parse(Conv), Bars());
        Assert.Equal(["conv2d", "maxpool2d", "flatten", "dropout", "dense", "dense"], s.Network.Layers.Select(l => l.Kind));
        Assert.Equal(["relu", "identity", "identity", "identity", "tanh", "softmax"], s.Network.Layers.Select(l => l.Activation.Name));
        Assert.Equal(new Shape(4, 3, 3), s.Network.Layers[1].Output);
        var conv = s.Spec.Model!.Layers![0];
        Assert.Equal((new SizePair(1, 1), new SizePair(1, 1)), (conv.Stride!.Value, conv.Padding!.Value));
        Assert.Equal(new SizePair(2, 2), s.Spec.Model.Layers[2].Stride);
        Assert.Null(s.Spec.Model.Hidden);
        Assert.Null(s.Spec.Model.Activation);
        // The filled-in spec reads back to the same network.
        Assert.Equal(SpecJson.Serialize(s.Spec), SpecJson.Serialize(TrainingSession.Create(SpecJson.Parse(SpecJson.Serialize(s.Spec)), Bars()).Spec));
        // An MLP spec is filled in as before: no layers field.
        Assert.DoesNotContain("layers", SpecJson.Serialize(TrainingRuns.Session("""{"dataset":{"name":"xor"},"seed":1}""").Spec));
    }

    [Fact]
    public void AnActivationWithNothingToFuseIntoIsALayerOfItsOwn()
    {
        var s = TrainingSession.Create(SpecJson.Parse("""{"model":{"layers":[{"type":"avgpool2d","kernel":2},{"type":"sigmoid"},{"type":"flatten"}]},"seed":1}"""), Bars());
        Assert.Equal(["avgpool2d", "sigmoid", "flatten", "dense"], s.Network.Layers.Select(l => l.Kind));
        Assert.IsType<ActivationLayer>(s.Network.Layers[1]);
    }

    [Fact]
    public void ItLearnsAndReportsOneGradientNormPerLayerWithWeights()
    {
        var s = TrainingSession.Create(SpecJson.Parse(Conv), Bars());
        var rec = new TrainingRuns.Recorder();
        var result = s.Run(rec);
        Assert.All(rec.LayerNorms, n => Assert.Equal(3, n.Length)); // conv2d, dense, output dense
        Assert.All(rec.LayerNorms, n => Assert.All(n, v => Assert.True(v > 0 && double.IsFinite(v))));
        Assert.True(result.Summary.TestAccuracy > 0.9, $"test accuracy {result.Summary.TestAccuracy}");
    }

    [Fact]
    public void ResumingFromAnEpochBoundaryEndsBitIdenticalDropoutIncluded()
    {
        var reference = TrainingSession.Create(SpecJson.Parse(Conv), Bars());
        var rec = new TrainingRuns.Recorder { CaptureCheckpoints = true };
        reference.Run(rec);
        float[] final = reference.Network.GetFlatParameters();

        var checkpoint = Checkpoint.Deserialize(rec.Checkpoints[2]);
        Assert.Single(checkpoint.State.LayerRngStates);
        var resumed = TrainingSession.Create(reference.Spec, Bars());
        resumed.Restore(checkpoint);
        var tail = new TrainingRuns.Recorder();
        resumed.Run(tail);
        Assert.Equal(final, resumed.Network.GetFlatParameters());
        Assert.Equal(rec.Steps.Skip((int)(2 * resumed.StepsPerEpoch)).Select(x => x.Loss), tail.Steps.Select(x => x.Loss));

        // Without the dropout streams the resumed run would differ: a fresh session with the same weights does.
        var fresh = TrainingSession.Create(reference.Spec, Bars());
        var noStreams = checkpoint.State.Clone();
        Assert.Equal(checkpoint.Serialize(), new Checkpoint(checkpoint.Parameters, checkpoint.State).Serialize());
        noStreams.LayerRngStates = [new Rng(1).GetState()];
        fresh.Restore(new Checkpoint(checkpoint.Parameters, noStreams));
        fresh.Run(new TrainingRuns.Recorder());
        Assert.NotEqual(final, fresh.Network.GetFlatParameters());
    }

    [Fact]
    public void TheModelFileRoundTripsAndPredictsAsTheSessionDoes()
    {
        var s = TrainingSession.Create(SpecJson.Parse(Conv), Bars());
        s.Run(new TrainingRuns.Recorder());
        string json = ModelFile.From(s).ToJson();
        var model = ModelFile.FromJson(json);
        Assert.Equal(ModelFile.LayersFormat, model.Format);
        Assert.Equal([1, 6, 6], model.InputShape!);
        Assert.Equal(3, model.Layers.Count);

        var rows = Enumerable.Range(0, s.Test.Count).Select(i => s.Test.X.AsSpan(i * 36, 36).ToArray()).ToList();
        var predictions = new Predictor(model).Predict(rows);
        var x = new Matrix(rows.Count, 36, [.. rows.SelectMany(r => r)]);
        var expected = s.Network.Forward(x, s.Network.CreateWorkspace(rows.Count, withGradients: false));
        for (int r = 0; r < rows.Count; r++) Assert.Equal(expected.Row(r).ToArray(), predictions[r].Output);

        var broken = ModelFile.FromJson(json);
        broken.Layers[0].Weight = [1f];
        Assert.Contains("layers[0].weight has 1 values, expected 36", Assert.Throws<InvalidDataException>(() => broken.BuildNetwork()).Message);
    }
}
