using System.Text.Json.Nodes;
using TrainingService.Engine.Sweeps;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class SweepParameterTests
{
    public static TheoryData<SweepParameter, string> Bad() => new()
    {
        { new SweepValues("batchSize", []), "at least one value" },
        { new SweepValues("batchSize", [16, 32, 16]), "values[2] (16) is listed twice" },
        { new SweepRange("optimizer.learningRate", SweepDistribution.LogUniform, 0, 1), "log_uniform needs min > 0" },
        { new SweepRange("optimizer.learningRate", SweepDistribution.Uniform, 1, 0.5), "must be below max" },
        { new SweepRange("optimizer.learningRate", SweepDistribution.Uniform, double.NaN, 0.5), "finite" },
        { new SweepRange("epochs", SweepDistribution.IntUniform, 1, 2.5), "whole numbers" },
        { new SweepRange("seed", SweepDistribution.IntUniform, -2_000_000_000, 2_000_000_000), "spans at most" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void ASamplerRefusesAParameterItCannotDrawNamingIt(SweepParameter parameter, string expected)
    {
        foreach (var method in new[] { SweepMethod.Random, SweepMethod.Bayes })
        {
            var e = Assert.Throws<ArgumentException>(() => SweepSamplers.Create(method, [parameter], 1));
            Assert.StartsWith($"parameters[\"{parameter.Path}\"]: ", e.Message);
            Assert.Contains(expected, e.Message);
        }
    }

    [Fact]
    public void APathListedTwiceOrNoParameterAtAllIsRefused()
    {
        SweepParameter[] twice = [new SweepValues("batchSize", [16]), new SweepRange("batchSize", SweepDistribution.IntUniform, 1, 8)];
        Assert.Contains("parameters[\"batchSize\"]: listed twice", Assert.Throws<ArgumentException>(() => SweepSamplers.Create(SweepMethod.Random, twice, 1)).Message);
        Assert.Throws<ArgumentException>(() => SweepSamplers.Create(SweepMethod.Random, [], 1));
    }

    [Fact]
    public void ValuesAreToldApartByTheirJsonText()
    {
        var hidden = new SweepValues("model.hidden", [JsonNode.Parse("[64]")!, JsonNode.Parse("[64, 64]")!]);
        Assert.Equal(1, hidden.IndexOf(JsonNode.Parse("[64,64]")));
        Assert.Equal(-1, hidden.IndexOf(JsonNode.Parse("[32]")));
        Assert.Equal(-1, hidden.IndexOf(null));
    }
}
