using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary><see cref="TrainingSession.Plan"/> records what <see cref="TrainingSession.Create(RunSpec, string, SpecLimits?, Func{long}?)"/>
/// would build, and refuses what it would refuse, without building it.</summary>
public sealed class RunPlanTests
{
    [Theory]
    [InlineData("""{"dataset":{"name":"moons"}}""")]
    [InlineData("""{"dataset":{"name":"spiral","samples":333},"batchSize":0,"epochs":3}""")]
    [InlineData("""{"dataset":{"name":"xor","samples":64},"batchSize":10,"epochs":7,"optimizer":{"type":"genetic","populationSize":6}}""")]
    [InlineData("""{"dataset":{"name":"linear","validationFraction":0.3,"testFraction":0.2},"model":{"hidden":[]},"batchSize":1000}""")]
    [InlineData("""{"dataset":{"name":"rosenbrock"},"model":{"hidden":[]},"optimizer":{"type":"momentum","schedule":{"type":"cosine"}}}""")]
    public void APlanIsTheSpecAndStepsOfTheSessionItDescribes(string json)
    {
        var plan = TrainingSession.Plan(SpecJson.Parse(json), SharedPaths.Datasets, randomSeed: () => 42);
        var session = TrainingSession.Create(SpecJson.Parse(json), SharedPaths.Datasets, randomSeed: () => 42);
        Assert.Equal(SpecJson.Serialize(session.Spec), SpecJson.Serialize(plan.Spec));
        Assert.Equal(session.TotalSteps, plan.TotalSteps);
    }

    [Theory]
    [InlineData("""{"model":{"hidden":[0]}}""", "model.hidden[0]")]
    [InlineData("""{"dataset":{"name":"nosuch"}}""", "dataset.name")]
    [InlineData("""{"dataset":{"name":"linear"},"loss":"cross_entropy"}""", "loss")]
    [InlineData("""{"model":{"hidden":[2000]},"batchSize":0}""", "batchSize")]
    public void APlanRefusesWhatCreateRefuses(string json, string path)
    {
        var limits = new SpecLimits { MaxStepFlops = 1e6 };
        var planned = Assert.Throws<SpecException>(() => TrainingSession.Plan(SpecJson.Parse(json), SharedPaths.Datasets, limits));
        var created = Assert.Throws<SpecException>(() => TrainingSession.Create(SpecJson.Parse(json), SharedPaths.Datasets, limits));
        Assert.Equal(created.Errors, planned.Errors);
        Assert.Contains(planned.Errors, e => e.Path == path);
    }
}
