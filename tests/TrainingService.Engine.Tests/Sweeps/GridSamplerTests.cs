using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class GridSamplerTests
{
    private static readonly SweepParameter[] Parameters =
    [
        new SweepValues("optimizer.learningRate", [0.1, 0.01, 0.001]),
        new SweepValues("optimizer.type", ["sgd", "adam"]),
        new SweepValues("model.hidden", [JsonNode.Parse("[64]")!, JsonNode.Parse("[64, 64]")!]),
    ];

    private static string Text(IReadOnlyDictionary<string, JsonNode> trial) =>
        string.Join(" ", trial.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.ToJsonString()}"));

    [Fact]
    public void GridCoversItsProductExactlyOnceThenProposesNothing()
    {
        Assert.Equal(12, SweepGrid.Count(Parameters));
        var sampler = SweepSamplers.Create(SweepMethod.Grid, Parameters, seed: 1);
        var proposed = Enumerable.Range(0, 12).Select(i => Text(sampler.Suggest(i, [])!)).ToList();
        var product =
            from lr in new[] { "0.1", "0.01", "0.001" }
            from type in new[] { "\"sgd\"", "\"adam\"" }
            from hidden in new[] { "[64]", "[64,64]" }
            select $"model.hidden={hidden} optimizer.learningRate={lr} optimizer.type={type}";
        Assert.Equal(product.Order(), proposed.Order());
        Assert.Null(sampler.Suggest(12, []));
        Assert.Null(sampler.Suggest(-1, []));
    }

    [Fact]
    public void TheLastParameterVariesFastest()
    {
        var sampler = SweepSamplers.Create(SweepMethod.Grid, Parameters, seed: 1);
        Assert.Equal("model.hidden=[64,64] optimizer.learningRate=0.1 optimizer.type=\"sgd\"", Text(sampler.Suggest(1, [])!));
        Assert.Equal("model.hidden=[64] optimizer.learningRate=0.1 optimizer.type=\"adam\"", Text(sampler.Suggest(2, [])!));
        Assert.Equal("model.hidden=[64] optimizer.learningRate=0.01 optimizer.type=\"sgd\"", Text(sampler.Suggest(4, [])!));
    }

    [Fact]
    public void SuggestedValuesAreFreshNodesThatCanJoinAnotherDocument()
    {
        var sampler = SweepSamplers.Create(SweepMethod.Grid, Parameters, seed: 1);
        var spec = new JsonObject();
        foreach (var (path, value) in sampler.Suggest(0, [])!) spec[path] = value;
        foreach (var (path, value) in sampler.Suggest(0, [])!) spec[path + "2"] = value; // a node with a parent would throw
        Assert.Equal("[64]", spec["model.hidden"]!.ToJsonString());
        Assert.Null(Parameters[2] is SweepValues v ? v.Values[0].Parent : null);
    }

    [Fact]
    public void AGridWithARangeIsRejectedNamingTheParameter()
    {
        SweepParameter[] parameters = [Parameters[0], new SweepRange("optimizer.momentum", SweepDistribution.Uniform, 0, 0.99)];
        var e = Assert.Throws<ArgumentException>(() => SweepSamplers.Create(SweepMethod.Grid, parameters, 1));
        Assert.Contains("parameters[\"optimizer.momentum\"]", e.Message);
        Assert.Contains("values", e.Message);
        Assert.Throws<ArgumentException>(() => SweepGrid.Count(parameters));
    }
}
