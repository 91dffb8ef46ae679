using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Vocabulary;

/// <summary><c>{"type":"sgd","momentum":0.9}</c> means what PyTorch's <c>SGD(momentum=0.9)</c> means: heavy-ball
/// momentum, trained exactly as the <c>momentum</c> type (and <c>nesterov: true</c> as <c>nesterov</c>).</summary>
public sealed class SgdMomentumTests
{
    private static (float[] Weights, double[] Losses) Train(string optimizer)
    {
        var session = Session($$"""{"dataset":{"name":"spiral","samples":120},"optimizer":{{optimizer}},"batchSize":16,"epochs":3,"seed":5}""");
        var rec = new Recorder();
        session.Run(rec);
        return (session.Network.GetFlatParameters(), [.. rec.Steps.Select(s => s.Loss)]);
    }

    [Theory]
    [InlineData("""{"type":"sgd","learningRate":0.05,"momentum":0.9,"weightDecay":0.01}""", """{"type":"momentum","learningRate":0.05,"momentum":0.9,"weightDecay":0.01}""")]
    [InlineData("""{"type":"sgd","learningRate":0.05,"momentum":0.8,"nesterov":true}""", """{"type":"nesterov","learningRate":0.05,"momentum":0.8}""")]
    public void SgdWithMomentumTrainsBitForBitAsTheMomentumTypes(string sgd, string twin)
    {
        var (w1, l1) = Train(sgd);
        var (w2, l2) = Train(twin);
        Assert.Equal(l2, l1);
        Assert.Equal(w2, w1);
        var (plain, _) = Train("""{"type":"sgd","learningRate":0.05}""");
        Assert.NotEqual(plain, w1); // momentum changed the trajectory
    }

    [Fact]
    public void TheFactoryBuildsTheMomentumRulesAndSgdRefusesNesterovWithoutMomentum()
    {
        Assert.IsType<Sgd>(OptimizerFactory.Create(new OptimizerSpec { Type = "sgd" }));
        Assert.IsType<Momentum>(OptimizerFactory.Create(new OptimizerSpec { Type = "sgd", Momentum = 0.9 }));
        Assert.IsType<Nesterov>(OptimizerFactory.Create(new OptimizerSpec { Type = "sgd", Momentum = 0.9, Nesterov = true }));
        var error = Assert.Single(SpecValidator.Validate(SpecJson.Parse("""{"optimizer":{"type":"sgd","nesterov":true}}""")));
        Assert.Equal("optimizer.nesterov", error.Path);
        Assert.Contains("momentum > 0", error.Message);
    }
}
