using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Tests;

/// <summary>With an API key set: every mutating route (found in the endpoint data sources, so routes added later are
/// covered) and the hub refuse a missing or wrong key with 401 problem+json; reads follow ProtectReads.</summary>
public sealed class AccessTests
{
    private const string Key = "s3cret-key";

    private static ServiceFactory Service(bool protectReads = false) => new(settings: new()
    {
        ["Training:ApiKey"] = Key, ["Training:ProtectReads"] = protectReads ? "true" : "false", ["Training:WorkerEnabled"] = "false",
        ["Training:RateLimitPermits"] = "0",
    });

    /// <summary>(method, url) of every route endpoint, route parameters filled with plausible values.</summary>
    private static List<(string Method, string Url)> Routes(ServiceFactory factory)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            string url = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart l => l.Content,
                RoutePatternSeparatorPart s => s.Content,
                RoutePatternParameterPart p => p.ParameterPolicies.Any(x => x.Content is "long" or "int") ? "1" : "x",
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "PATCH", "DELETE"];
            foreach (string m in methods) routes.Add((m, url));
        }
        return routes.Distinct().ToList();
    }

    private static HttpRequestMessage Request(string method, string url, string? key = null)
    {
        var r = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is not ("GET" or "HEAD" or "OPTIONS")) r.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (key is not null) r.Headers.Add("X-Api-Key", key);
        return r;
    }

    [Fact]
    public async Task EveryMutatingRouteRefusesAMissingOrWrongKeyAndAcceptsTheRightOne()
    {
        await using var factory = Service();
        var client = factory.CreateClient();
        var mutating = Routes(factory).Where(r => ApiKeyMiddleware.IsMutating(r.Method)).ToList();
        Assert.Contains(("POST", "/api/runs"), mutating);
        Assert.Contains(("POST", "/api/datasets"), mutating);
        Assert.Contains(("DELETE", "/api/runs/1"), mutating);
        Assert.Contains(("POST", "/api/runs/1/cancel"), mutating);
        Assert.Contains(("POST", "/api/runs/1/predict"), mutating);
        foreach (var (method, url) in mutating)
        {
            foreach (string? key in new[] { null, "wrong", Key + " ", "", Key.ToUpperInvariant() })
            {
                var response = await client.SendAsync(Request(method, url, key));
                var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
                Assert.Equal(401, problem.Status);
            }
            var allowed = await client.SendAsync(Request(method, url, Key));
            Assert.True(allowed.StatusCode != HttpStatusCode.Unauthorized, $"{method} {url} refused the right key");
        }
        // A key in the query string is read on the hub only: URLs end up in logs.
        await (await client.PostJsonAsync($"/api/runs?access_token={Key}", "{}")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadsFollowProtectReadsWhileTheDashboardAndHealthStayOpen(bool protectReads)
    {
        await using var factory = Service(protectReads);
        var client = factory.CreateClient();
        var reads = Routes(factory).Where(r => r.Method == "GET" && r.Url.StartsWith("/api/")).ToList();
        Assert.Contains(("GET", "/api/runs"), reads);
        foreach (var (method, url) in reads)
        {
            var anonymous = await client.SendAsync(Request(method, url));
            if (protectReads) await anonymous.ProblemAsync(HttpStatusCode.Unauthorized);
            else Assert.True(anonymous.StatusCode != HttpStatusCode.Unauthorized, $"GET {url} refused without a key");
            Assert.True((await client.SendAsync(Request(method, url, Key))).StatusCode != HttpStatusCode.Unauthorized, $"GET {url} refused the key");
        }
        foreach (string open in new[] { "/", "/js/app.js", "/healthz", "/readyz", "/swagger/v1/swagger.json" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(open)).StatusCode);
    }

    [Fact]
    public async Task TheHubRefusesAMissingOrWrongKeyOnNegotiateAndWebSocket()
    {
        await using var factory = Service();
        var client = factory.CreateClient();
        const string negotiate = "/hubs/training/negotiate?negotiateVersion=1";

        await (await client.PostAsync(negotiate, null)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsync(negotiate + "&access_token=wrong", null)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(negotiate + "&access_token=" + Key, null)).StatusCode);
        var bearer = new HttpRequestMessage(HttpMethod.Post, negotiate) { Headers = { { "Authorization", "Bearer " + Key } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        await (await client.GetAsync("/hubs/training")).ProblemAsync(HttpStatusCode.Unauthorized);

        var sockets = factory.Server.CreateWebSocketClient();
        await Assert.ThrowsAnyAsync<Exception>(() => sockets.ConnectAsync(new Uri("ws://localhost/hubs/training"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => sockets.ConnectAsync(new Uri("ws://localhost/hubs/training?access_token=wrong"), CancellationToken.None));
        await using var hub = await factory.ConnectHubAsync("?access_token=" + Key);
        await hub.InvokeAsync("Subscribe", 1L);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task WithoutAKeyTheServiceBindsToLoopbackUnlessUrlsAreGivenOrRemoteIsAllowed()
    {
        static string? UrlsAfter(params string[] args)
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.BindLoopbackWithoutKey();
            return builder.WebHost.GetSetting("urls");
        }
        Assert.Equal("http://localhost:5000", UrlsAfter());
        Assert.Equal("http://127.0.0.1:8080", UrlsAfter("--http_ports=8080"));
        Assert.Equal("http://0.0.0.0:9000", UrlsAfter("--urls=http://0.0.0.0:9000"));
        Assert.Null(UrlsAfter("--Training:ApiKey=k", "--http_ports=8080"));
        Assert.Null(UrlsAfter("--Training:AllowRemoteWithoutKey=true", "--http_ports=8080"));
        Assert.True(Exposure.IsLoopback("http://127.0.0.1:5000"));
        Assert.True(Exposure.IsLoopback("http://localhost:5000"));
        Assert.True(Exposure.IsLoopback("http://[::1]:5000"));
        Assert.False(Exposure.IsLoopback("http://0.0.0.0:5000"));
        Assert.False(Exposure.IsLoopback("http://*:5000"));
        Assert.False(Exposure.IsLoopback("http://+:5000"));
        Assert.False(Exposure.IsLoopback("http://10.1.2.3:5000"));
        await Task.CompletedTask;
    }
}
