using System.Net;
using System.Text;

namespace TrainingService.Api.Tests;

/// <summary>Cross-site requests and DNS rebinding (<c>CrossSiteGuard</c>): what a page of another site or a rebound
/// DNS name can no longer do, and what same-origin pages, non-browser clients and key holders still can.</summary>
public sealed class CrossSiteTests
{
    private const string Key = "s3cret-key";

    private static HttpRequestMessage Cancel(long id, string? site = null, string? origin = null, string? host = null, string? key = null)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/cancel");
        if (site is not null) r.Headers.Add("Sec-Fetch-Site", site);
        if (origin is not null) r.Headers.Add("Origin", origin);
        if (host is not null) r.Headers.Host = host;
        if (key is not null) r.Headers.Add("X-Api-Key", key);
        return r;
    }

    [Fact]
    public async Task ACrossSitePageCannotCancelARunButTheDashboardAndScriptsCan()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:RateLimitPermits"] = "0" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SlowSpec());
        await client.WaitAsync(run.Id, r => r.Status == "running");

        foreach (var (site, origin) in new (string?, string?)[]
                 {
                     ("cross-site", "http://evil.example"), ("same-site", "http://localhost:8081"), ("cross-site", null),
                     (null, "http://evil.example"), (null, "http://localhost:8081"), (null, "null"),
                 })
        {
            var problem = await (await client.SendAsync(Cancel(run.Id, site, origin))).ProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("cross-site request refused", problem.Detail);
        }
        var upload = new HttpRequestMessage(HttpMethod.Post, "/api/datasets")
        {
            Content = new MultipartFormDataContent { { new StringContent("a,label\n1,x\n2,y\n"), "file", "planted.csv" } },
        };
        upload.Headers.Add("Sec-Fetch-Site", "cross-site");
        await (await client.SendAsync(upload)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("running", (await client.GetRunAsync(run.Id)).Status);
        Assert.DoesNotContain("planted", await client.GetStringAsync("/api/datasets"));

        // A cross-site read is answered (the page cannot read it without CORS, which is never granted).
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{run.Id}");
        read.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);

        // The dashboard (same origin, by either header), a typed address and a script all may.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Cancel(run.Id, origin: "http://localhost"))).StatusCode);
        var second = await client.SubmitAsync(Api.SlowSpec());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Cancel(second.Id, site: "same-origin", origin: "http://localhost"))).StatusCode);
        var third = await client.SubmitAsync(Api.SlowSpec());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Cancel(third.Id))).StatusCode);
        Assert.Equal("cancelled", (await client.WaitAsync(run.Id, r => r.Status is not ("queued" or "running"))).Status);
    }

    [Fact]
    public async Task TheHubRefusesCrossSiteConnections()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/training/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Sec-Fetch-Site", "cross-site");
        await (await client.SendAsync(negotiate)).ProblemAsync(HttpStatusCode.Forbidden);
        var upgrade = new HttpRequestMessage(HttpMethod.Get, "/hubs/training");
        upgrade.Headers.Add("Origin", "http://evil.example");
        await (await client.SendAsync(upgrade)).ProblemAsync(HttpStatusCode.Forbidden);
        var same = new HttpRequestMessage(HttpMethod.Post, "/hubs/training/negotiate?negotiateVersion=1");
        same.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(same)).StatusCode);
    }

    [Fact]
    public async Task WithoutAKeyOnlyLoopbackHostNamesAreServedSoDnsRebindingGetsNothing()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        foreach (string host in new[] { "evil.example", "evil.example:5000", "192.168.1.20:5000", "127.0.0.1.nip.io" })
        {
            foreach (string url in new[] { "/api/runs", "/", "/hubs/training/negotiate?negotiateVersion=1" })
            {
                var read = new HttpRequestMessage(url.StartsWith("/hubs") ? HttpMethod.Post : HttpMethod.Get, url);
                read.Headers.Host = host;
                var problem = await (await client.SendAsync(read)).ProblemAsync(HttpStatusCode.BadRequest);
                Assert.Contains("not a loopback name", problem.Detail);
            }
        }
        foreach (string host in new[] { "localhost", "localhost:5000", "127.0.0.1:5000", "[::1]:5000", "app.localhost", "127.0.0.2" })
        {
            var read = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
            read.Headers.Host = host;
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
        }
        var probe = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        probe.Headers.Host = "10.0.0.7:8080"; // an orchestrator's probe by the pod's address
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(probe)).StatusCode);
    }

    [Fact]
    public async Task WithAKeyAnyHostIsServedAndTheKeyAuthenticatesCrossSiteCalls()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:ApiKey"] = Key, ["Training:RateLimitPermits"] = "0" });
        var client = factory.CreateClient();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(Api.SlowSpec(), Api.Json), Encoding.UTF8, "application/json") };
        submit.Headers.Add("X-Api-Key", Key);
        var response = await client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        long id = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{id}");
        read.Headers.Host = "trainer.example.org";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
        await (await client.SendAsync(Cancel(id, site: "cross-site", host: "trainer.example.org"))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.SendAsync(Cancel(id, site: "cross-site", host: "trainer.example.org", key: "wrong"))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Cancel(id, site: "cross-site", host: "trainer.example.org", key: Key))).StatusCode);
    }
}
