using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Engine.Tests.Training;

/// <summary><see cref="RunCost"/> against sums worked out by hand from its documented formulas, and against what a
/// real session allocates.</summary>
public sealed class RunCostTests
{
    /// <summary>100 rows, 2 features, 2 classes.</summary>
    private static readonly Dataset Classes2 = new() { Name = "two", X = new float[200], Y = new float[100], Count = 100, Features = 2, Classes = 2 };

    /// <summary>50 rows, 3 features, one numeric target.</summary>
    private static readonly Dataset Regression = new() { Name = "reg", X = new float[150], Y = new float[50], Count = 50, Features = 3 };

    private static RunCost Estimate(string json, Dataset data) => RunCost.Estimate(SpecDefaults.Resolve(SpecJson.Parse(json), data, () => 1), data);

    [Fact]
    public void AdamOnASmallClassifier()
    {
        // 2→3→2: P = 9 + 8 = 17, W = 5, f = 2·(6 + 6) = 24, b = 24 + 2·6 = 36; 80 training rows, B = 10, T = 1.
        var c = Estimate("""{"model":{"hidden":[3]},"loss":"cross_entropy","optimizer":{"type":"adam"},"batchSize":10,"dataset":{"validationFraction":0.1,"testFraction":0.1}}""", Classes2);
        Assert.Equal(10 * (24 + 36), c.StepFlops);
        Assert.Equal(136, Part(c.Memory, "their gradients"));                                       // 8P
        Assert.Equal(4 * (6 * 10 * 5 + 10 * 2 + 10 * 1 + 10), Part(c.Memory, "activations")); // 4·(6BW + BF + BT + B)
        Assert.Equal(4 * 768 * (2 * 5 + 2), Part(c.Memory, "evaluation"));                  // 4·768·(2W + F)
        Assert.Equal(4 * 100 * 3 * 2 + 4 * 100 * 2 + 4 * 80, Part(c.Memory, "dataset"));     // table and splits, labels and targets, order
        Assert.Equal(4 * 17 * 2, Part(c.Memory, "adam's state"));                            // 2 slots
        Assert.Equal(3 * 4 * 17 * 3, Part(c.Memory, "checkpoints"));                         // 3 × (weights + 2 slots)
        Assert.Equal(136 + 1360 + 36864 + 3520 + 136 + 612, c.MemoryBytes);
    }

    /// <summary>100 images of 1×6×6, 2 classes.</summary>
    private static readonly Dataset Images = new() { Name = "img", X = new float[3600], Y = new float[100], Count = 100, Features = 36, Classes = 2, Shape = new(1, 6, 6) };

    [Fact]
    public void AConvNetCountsItsConvolutions()
    {
        // 1×6×6 → conv 3×3, 2 filters, pad 1 → 2×6×6 (72 positions·filters × 9 = 648 MACs, P = 2·9 + 2 = 20; its column
        // matrices per row: 36 positions × (2·9 + 2) = 720 floats) → maxpool 2 → 2×3×3 → flatten 18 → dense 2 (36 MACs,
        // P = 38). W = 72 + 18 + 18 + 2 = 110; f = 2·684 = 1368, b = 1368 + 2·36 = 1440; B = 10.
        var c = Estimate("""{"model":{"layers":[{"type":"conv2d","filters":2,"kernel":3,"padding":1},{"type":"maxpool2d","kernel":2},{"type":"flatten"}]},"optimizer":{"type":"sgd"},"batchSize":10,"dataset":{"validationFraction":0.1,"testFraction":0.1}}""", Images);
        Assert.Equal(10 * (1368 + 1440), c.StepFlops);
        Assert.Equal(8 * 58, Part(c.Memory, "their gradients"));
        Assert.Equal("model.layers", Assert.Single(c.Memory, p => p.What.Contains("their gradients")).Field);
        Assert.Equal(4 * (6 * 10 * 110 + 10 * 36 + 10 * 1 + 10 + 10 * 720), Part(c.Memory, "activations"));
        Assert.Equal(4 * 768 * (2 * 110 + 36 + 720), Part(c.Memory, "evaluation"));
    }

    [Fact]
    public void AGradientCheckOnAFullBatch()
    {
        // 2→300→2 with mse on one-hot targets (T = 2), SGD (no state), B = all 80 training rows.
        // P = 900 + 602 = 1502, W = 302, f = 2·1200 = 2400, b = 2400 + 2·600 = 3600.
        // Entries checked: min(600, 200) + min(300, 200) + min(600, 200) + min(2, 200) = 602.
        var c = Estimate("""{"model":{"hidden":[300]},"loss":"mse","optimizer":{"type":"sgd"},"batchSize":0,"gradientCheck":true,"dataset":{"validationFraction":0.1,"testFraction":0.1}}""", Classes2);
        Assert.Equal(80 * 6000, Part(c.Flops, "forward and backward"));
        Assert.Equal(2 * 602 * 80 * 2400, Part(c.Flops, "gradient check"));
        Assert.Equal("gradientCheck", Assert.Single(c.Flops, p => p.What.Contains("gradient check")).Field);
        Assert.Equal(8 * 1502 + 8 * 80 * 2 + 4 * 80 * 2 + 16 * 80 * 302, Part(c.Memory, "float64"));
        Assert.Equal(4 * (6 * 80 * 302 + 80 * 2 + 80 * 2 + 80), Part(c.Memory, "activations"));
        Assert.Equal(0, Part(c.Memory, "sgd's state"));
        Assert.Equal(12016 + 581440 + 1861632 + 3920 + 18024 + 400496, c.MemoryBytes);
    }

    [Fact]
    public void NumericalGradientsCostTwoForwardPassesPerParameter()
    {
        var c = Estimate("""{"model":{"hidden":[3]},"loss":"cross_entropy","optimizer":{"type":"sgd"},"gradient":"numerical","batchSize":10,"dataset":{"validationFraction":0.1,"testFraction":0.1}}""", Classes2);
        Assert.Equal(10 * 24, Part(c.Flops, "the forward pass"));
        Assert.Equal(2 * 17 * 10 * 24, Part(c.Flops, "central differences"));
        Assert.Equal("gradient", Assert.Single(c.Flops, p => p.What.Contains("central differences")).Field);
    }

    [Fact]
    public void AGeneticPopulationOnARegression()
    {
        // 3→4→1: P = 16 + 5 = 21, W = 5, f = 2·(12 + 4) = 32; 30 training rows, B = 5; no accuracy pass for a regression.
        var c = Estimate("""{"model":{"hidden":[4]},"loss":"mse","optimizer":{"type":"genetic","populationSize":10},"batchSize":5,"dataset":{"validationFraction":0.2,"testFraction":0.2}}""", Regression);
        Assert.Equal(10 * 5 * 32, c.StepFlops);
        Assert.Equal(4 * 21 * (2 + 20) + 12 * 10, Part(c.Memory, "population"));
        Assert.Equal(3 * 4 * 21 * 12, Part(c.Memory, "checkpoints"));                        // weights + 11 vectors (best + 10)
        Assert.Equal(4 * 50 * 4 * 2 + 4 * 30, Part(c.Memory, "dataset"));
        Assert.Equal(168 + 700 + 39936 + 1720 + 3024 + 1968, c.MemoryBytes);
        Assert.All(c.Flops, p => Assert.Equal("optimizer.populationSize", p.Field));
    }

    [Fact]
    public void RandomSearchEvaluatesTheIncumbentAndEveryCandidate()
    {
        var c = Estimate("""{"model":{"hidden":[3]},"optimizer":{"type":"random_search","candidates":7},"batchSize":10,"dataset":{"validationFraction":0.1,"testFraction":0.1}}""", Classes2);
        Assert.Equal(8 * 10 * 24, Part(c.Flops, "forward passes"));
        Assert.Equal(10 * 24, Part(c.Flops, "accuracy"));
        Assert.Equal(12 * 17, Part(c.Memory, "weight vectors"));
    }

    [Fact]
    public void ARefusalNamesTheFieldMostResponsibleTheEstimateAndTheLimit()
    {
        var limits = new SpecLimits { MaxRunMemoryBytes = 1024 * 1024, MaxStepFlops = 1e6, MemoryLimitName = "Mem__Setting", FlopLimitName = "Flop__Setting" };
        var wide = Estimate("""{"model":{"hidden":[2000]},"optimizer":{"type":"adam"},"batchSize":10}""", Classes2).Refusals(limits);
        var memory = Assert.Single(wide, e => e.Message.Contains("memory"));
        Assert.Equal("model.hidden", memory.Path);
        Assert.Contains("the limit is 1 MB (Mem__Setting)", memory.Message);
        Assert.Contains("weights", memory.Message);

        var population = Estimate("""{"model":{"hidden":[3]},"optimizer":{"type":"genetic","populationSize":5000},"batchSize":0}""", Classes2).Refusals(limits with { MaxRunMemoryBytes = null });
        var step = Assert.Single(population);
        Assert.Equal("optimizer.populationSize", step.Path);
        Assert.Contains("the limit is 0.001 GFLOP (Flop__Setting)", step.Message);

        var batch = Estimate("""{"model":{"hidden":[2000]},"batchSize":0}""", Classes2).Refusals(limits with { MaxRunMemoryBytes = null });
        Assert.Equal("batchSize", Assert.Single(batch).Path);

        Assert.Empty(Estimate("""{"model":{"hidden":[3]}}""", Classes2).Refusals(limits));
        Assert.Empty(Estimate("""{"model":{"hidden":[2000]},"batchSize":0}""", Classes2).Refusals(new SpecLimits()));
    }

    [Fact]
    public void TheEstimateIsCloseToWhatARealSessionAllocates()
    {
        // Arrays dominate at this size; the estimate counts peak holdings, allocation counts every array once.
        const string json = """{"dataset":{"name":"spiral","samples":2000},"model":{"hidden":[256,256]},"optimizer":{"type":"adam"},"batchSize":64,"epochs":1,"seed":1}""";
        long before = GC.GetAllocatedBytesForCurrentThread();
        var session = TrainingSession.Create(SpecJson.Parse(json), SharedPaths.Datasets);
        session.Run();
        session.CreateCheckpoint().Serialize();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var data = DatasetCatalog.Load("spiral", 2000, null, 1, SharedPaths.Datasets);
        double estimate = RunCost.Estimate(session.Spec, data).MemoryBytes;
        Assert.InRange(allocated / estimate, 0.6, 1.6);
    }

    [Fact]
    public void EveryBenchmarkSpecFitsTheServiceDefaults()
    {
        var limits = new SpecLimits { MaxRunMemoryBytes = 4096L * 1024 * 1024, MaxStepFlops = 1000e9 };
        string dir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Benchmarks", "specs");
        var specs = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(specs);
        foreach (string file in specs)
        {
            var spec = SpecJson.Parse(File.ReadAllText(file));
            var data = DatasetCatalog.Load(SpecDefaults.DatasetName(spec), spec.Dataset?.Samples, spec.Dataset?.Noise, spec.Seed ?? 0, SharedPaths.Datasets);
            var cost = RunCost.Estimate(SpecDefaults.Resolve(spec, data, () => 1), data);
            Assert.True(cost.Refusals(limits).Count == 0, $"{Path.GetFileName(file)}: {string.Join("; ", cost.Refusals(limits).Select(e => e.Message))}");
        }
    }

    private static double Part(IReadOnlyList<CostPart> parts, string what) => parts.Where(p => p.What.Contains(what)).Sum(p => p.Amount);
}
