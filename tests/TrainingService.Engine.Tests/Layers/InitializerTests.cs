using TrainingService.Engine.Layers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Layers;

public sealed class InitializerTests
{
    private static (Parameter W, Parameter B) Init(string scheme, int outputs, int inputs, ulong seed = 1)
    {
        var w = new Parameter("w", outputs, inputs);
        var b = new Parameter("b", 1, outputs);
        Initializer.Initialize(w, b, scheme, new Rng(seed));
        return (w, b);
    }

    [Fact]
    public void DefaultIsPyTorchsUniformOverOneOverSqrtFanIn()
    {
        var (w, b) = Init("default", 200, 100);
        double bound = 1 / Math.Sqrt(100);
        Assert.All(w.Data, v => Assert.InRange(v, -bound, bound));
        Assert.All(b.Data, v => Assert.InRange(v, -bound, bound));
        // U(−a, a) has variance a²/3.
        Assert.Equal(bound * bound / 3, Variance(w.Data), 3);
        Assert.Contains(b.Data, v => v != 0);
    }

    [Fact]
    public void XavierIsUniformOverSqrtSixOverFanInPlusFanOutWithZeroBias()
    {
        var (w, b) = Init("xavier", 300, 100);
        double bound = Math.Sqrt(6.0 / 400);
        Assert.All(w.Data, v => Assert.InRange(v, -bound, bound));
        Assert.Equal(bound * bound / 3, Variance(w.Data), 3);
        Assert.All(b.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void HeIsNormalWithVarianceTwoOverFanIn()
    {
        var (w, b) = Init("he", 400, 50);
        Assert.Equal(2.0 / 50, Variance(w.Data), 3);
        Assert.Equal(0, w.Data.Average(v => (double)v), 2);
        Assert.All(b.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        Assert.Equal(Init("he", 10, 10, 7).W.Data, Init("he", 10, 10, 7).W.Data);
        Assert.NotEqual(Init("he", 10, 10, 7).W.Data, Init("he", 10, 10, 8).W.Data);
    }

    private static double Variance(float[] x)
    {
        double mean = x.Average(v => (double)v);
        return x.Average(v => (v - mean) * (v - mean));
    }
}
