using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Tests;

/// <summary>Every limit answers with a problem+json that says which limit, and the service carries on.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task ChangesBeyondTheRateLimitAre429WithRetryAfterWhileReadsGoOn()
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:RateLimitPermits"] = "3", ["Training:RateLimitWindowSeconds"] = "60",
        });
        var client = factory.CreateClient();
        for (int i = 0; i < 3; i++) await client.SubmitAsync(Api.SmallSpec());
        var refused = await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json);
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("3 changes per 60 s", problem.Detail);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        await (await client.PostAsync("/api/runs/1/cancel", null)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs/1")).StatusCode);
        Assert.Equal(201, await PostFromAsync(factory, "10.0.0.2", "/api/runs")); // each address has its own budget
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false", ["Training:MaxRequestBodyBytes"] = "1000" });
        var client = factory.CreateClient();
        string big = $$"""{"name":"{{new string('x', 2000)}}"}""";
        var problem = await (await client.PostJsonAsync("/api/runs", big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit is 1000", problem.Detail);
        await client.SubmitAsync(Api.SmallSpec());
    }

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,4,y\n5,6,x\n", "more than 2 data rows; the limit is 2")]
    [InlineData("a,b,c,d,label\n1,2,3,4,x\n3,4,5,6,y\n", "5 columns; the limit is 4")]
    public async Task ACsvOverTheRowOrColumnLimitIsA400(string csv, string expected)
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:MaxCsvRows"] = "2", ["Training:MaxCsvColumns"] = "4" });
        var client = factory.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent(csv), "file", "big.csv" } };
        var problem = await (await client.PostAsync("/api/datasets", form)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, string.Join(" ", problem.Errors["file"]));
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "uploads", "big.csv")));
    }

    [Fact]
    public async Task AClientMayKeepOnlySoManyRunsQueued()
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:MaxQueuedRunsPerClient"] = "2", ["Training:MaxQueuedRuns"] = "3",
        });
        var client = factory.CreateClient();
        var first = await client.SubmitAsync(Api.SmallSpec());
        await client.SubmitAsync(Api.SmallSpec());
        var problem = await (await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("2 runs waiting in the queue (limit 2 per client)", problem.Detail);

        // A cancelled run no longer counts.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{first.Id}/cancel", null)).StatusCode);
        await client.SubmitAsync(Api.SmallSpec());

        // Another client (another address) has its own quota, but the queue as a whole holds 3.
        Assert.Equal(201, await PostFromAsync(factory, "10.0.0.2", "/api/runs"));
        var full = await (await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("the queue is full: 3 runs are waiting (limit 3)", full.Detail);
        Assert.Equal(429, await PostFromAsync(factory, "10.0.0.3", "/api/runs"));
    }

    [Fact]
    public async Task ParallelSubmissionsCannotOvershootTheQueueLimitOfAClient()
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:RateLimitPermits"] = "0", ["Training:MaxQueuedRunsPerClient"] = "100",
        });
        var client = factory.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 110).Select(i => client.PostAsJsonAsync("/api/runs", Api.SmallSpec(seed: i), Api.Json)));
        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var queued = await client.GetFromJsonAsync<TrainingService.Api.Contracts.RunPage>("/api/runs?status=queued", Api.Json);
        Assert.Equal(100, queued!.Total);
    }

    [Theory]
    [InlineData("MaxQueuedRuns")]
    [InlineData("MaxQueuedRunsPerClient")]
    public async Task ParallelRacesCannotOvershootTheQueueLimits(string limit)
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:RateLimitPermits"] = "0", [$"Training:{limit}"] = "10",
        });
        var client = factory.CreateClient();
        // Each race queues 3 runs: at most 3 of 8 fit in a queue of 10.
        var race = new
        {
            @base = Api.SmallSpec(),
            variants = new[] { new { optimizer = new { type = "sgd" } }, new { optimizer = new { type = "adam" } }, new { optimizer = new { type = "momentum" } } },
        };
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/races", race, Api.Json)));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        var queued = await client.GetFromJsonAsync<TrainingService.Api.Contracts.RunPage>("/api/runs?status=queued", Api.Json);
        Assert.Equal(9, queued!.Total);
    }

    /// <summary>POSTs a small spec as if from another IP address; returns the status code.</summary>
    private static async Task<int> PostFromAsync(ServiceFactory factory, string ip, string path)
    {
        byte[] body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Api.SmallSpec(), Api.Json);
        var context = await factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(ip);
            c.Request.Method = "POST";
            c.Request.Path = path;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
        });
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task AHubConnectionMayWatchOnlySoManyRunsAtOnce()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:MaxSubscriptionsPerConnection"] = "2" });
        factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        await hub.InvokeAsync("Subscribe", 1L);
        await hub.InvokeAsync("Subscribe", 2L);
        await hub.InvokeAsync("Subscribe", 2L); // the same run again
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Subscribe", 3L));
        Assert.Contains("at most 2 runs at once", refused.Message);
        await hub.InvokeAsync("Unsubscribe", 1L);
        await hub.InvokeAsync("Subscribe", 3L);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/js/app.js")]
    [InlineData("/api/runs")]
    [InlineData("/api/no-such-route")]
    [InlineData("/api/runs/999")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string url)
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var response = await factory.CreateClient().GetAsync(url);
        string Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.Single() : response.Content.Headers.GetValues(name).Single();
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", Header("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header("Content-Security-Policy"));
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.Equal("no-referrer", Header("Referrer-Policy"));
        Assert.Contains("camera=()", Header("Permissions-Policy"));
    }
}
