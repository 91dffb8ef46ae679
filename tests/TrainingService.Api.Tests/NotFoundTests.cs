using System.Net;
using System.Text;

namespace TrainingService.Api.Tests;

public sealed class NotFoundTests
{
    [Theory]
    [InlineData("GET", "/api/runs/999")]
    [InlineData("POST", "/api/runs/999/cancel")]
    [InlineData("DELETE", "/api/runs/999")]
    [InlineData("GET", "/api/runs/999/metrics")]
    [InlineData("GET", "/api/runs/999/metrics.csv")]
    [InlineData("GET", "/api/runs/metrics.csv?ids=999")]
    [InlineData("GET", "/api/runs/999/model")]
    [InlineData("POST", "/api/runs/999/predict")]
    [InlineData("GET", "/api/datasets/nothing-here")]
    [InlineData("GET", "/api/runs/not-a-number")]
    [InlineData("GET", "/api/nothing")]
    [InlineData("GET", "/no/such/route")]
    public async Task UnknownIdsAndRoutesAre404ProblemJson(string method, string url)
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST") request.Content = new StringContent("""{"rows":[[1,2]]}""", Encoding.UTF8, "application/json");
        var problem = await (await client.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, problem.Status);
    }
}
