using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Search;

public sealed class GradientFreeTests
{
    private static string Spec(string optimizer, int epochs = 60) => $$"""
        {"dataset":{"name":"xor","samples":120},"model":{"hidden":[8],"activation":"step"},
         "optimizer":{{optimizer}},"batchSize":0,"epochs":{{epochs}},"seed":7}
        """;

    public static TheoryData<string, long> Methods() => new()
    {
        { """{"type":"random_search","candidates":5,"sampling":"local","stepSize":0.3}""", 6 },
        { """{"type":"random_search","candidates":4}""", 5 },
        { """{"type":"hill_climbing","stepSize":0.2}""", 2 },
        { """{"type":"genetic","populationSize":12,"elitism":1}""", 12 },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void FullBatchBestLossNeverRisesAndStepsCountEvaluationsWithoutAGradient(string optimizer, long evaluationsPerStep)
    {
        var rec = new Recorder();
        var r = Session(Spec(optimizer)).Run(rec);
        Assert.Equal(RunOutcome.Succeeded, r.Outcome);
        for (int i = 0; i < rec.Steps.Count; i++)
        {
            var s = rec.Steps[i];
            Assert.Null(s.GradNorm);
            Assert.Equal(0, s.LayerGradNorms.Length);
            Assert.Equal(evaluationsPerStep * (i + 1), s.LossEvaluations);
            // The incumbent (or elite) is re-evaluated on the same full batch, so the best can only improve
            // (up to the double rounding of summing the rows in the epoch's shuffled order).
            if (i > 0) Assert.True(s.Loss <= rec.Steps[i - 1].Loss + 1e-12, $"step {s.Step}: {s.Loss} > {rec.Steps[i - 1].Loss}");
        }
        Assert.True(rec.Steps[^1].Loss < rec.Steps[0].Loss, "the search made progress");
    }

    [Fact]
    public void GeneticAlgorithmTrainsAStepActivationNetworkThatBackpropCannot()
    {
        var r = Session(Spec("""{"type":"genetic"}""", epochs: 200)).Run();
        Assert.True(r.Summary.TrainAccuracy >= 0.9, $"train accuracy {r.Summary.TrainAccuracy}");
        Assert.Throws<SpecException>(() => Session(Spec("""{"type":"adam"}""")));
    }

    [Theory]
    [InlineData("""{"type":"genetic","populationSize":10}""")]
    [InlineData("""{"type":"hill_climbing"}""")]
    [InlineData("""{"type":"random_search","sampling":"local"}""")]
    public void ResumingAGradientFreeRunEndsBitIdentical(string optimizer)
    {
        string spec = Spec(optimizer, epochs: 6).Replace("\"batchSize\":0", "\"batchSize\":32");
        var reference = Session(spec);
        var rec = new Recorder { CaptureCheckpoints = true };
        reference.Run(rec);
        var resumed = TrainingSession.Create(reference.Spec, SharedPaths.Datasets);
        resumed.Restore(Checkpoint.Deserialize(rec.Checkpoints[3]));
        var tail = new Recorder();
        resumed.Run(tail);
        Assert.Equal(reference.Network.GetFlatParameters(), resumed.Network.GetFlatParameters());
        Assert.Equal(rec.Steps.Skip(3 * reference.StepsPerEpoch).Select(s => s.Loss), tail.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void GradientFreeSpecsAreFilledAndCheckedByField()
    {
        var s = Session(Spec("""{"type":"genetic"}"""));
        Assert.Equal(50, s.Spec.Optimizer!.PopulationSize);
        Assert.Null(s.Spec.Optimizer.LearningRate);
        Assert.Null(s.Spec.Gradient);

        var ex = Assert.Throws<SpecException>(() => Session(
            """{"optimizer":{"type":"genetic","populationSize":4,"elitism":4,"mutationRate":2,"sampling":"near"},"gradient":"numerical"}"""));
        Assert.Contains(ex.Errors, e => e.Path == "optimizer.elitism");
        Assert.Contains(ex.Errors, e => e.Path == "optimizer.mutationRate");
        Assert.Contains(ex.Errors, e => e.Path == "optimizer.sampling");
        Assert.Contains(ex.Errors, e => e.Path == "gradient");
    }
}
