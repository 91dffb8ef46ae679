using System.Text.Json;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

/// <summary>The metric pump's hand-written JSON arrays are the text System.Text.Json writes for the same numbers.</summary>
public sealed class NumberJsonTests
{
    [Fact]
    public void ArraysOfDoublesAndFloatsAreWrittenAsSystemTextJsonWritesThem()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            var doubles = Enumerable.Range(0, rng.Next(0, 6)).Select(_ => Math.Pow(10, rng.Next(-12, 12)) * (rng.NextDouble() - 0.5)).ToArray();
            var floats = doubles.Select(d => (float)d).ToArray();
            Assert.Equal(JsonSerializer.Serialize(doubles, RunSummary.JsonOptions), NumberJson.Array(doubles));
            Assert.Equal(JsonSerializer.Serialize(floats, RunSummary.JsonOptions), NumberJson.Array(floats));
        }
        double[] special = [0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, 1e-5, 0.1, 1e21];
        Assert.Equal(JsonSerializer.Serialize(special, RunSummary.JsonOptions), NumberJson.Array(special));
        Assert.Equal(special.Length, JsonSerializer.Deserialize<double[]>(NumberJson.Array(special), RunSummary.JsonOptions)!.Length);
    }
}
