using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TrainingService.Api.Tests;

/// <summary>Costs known before work starts: hostile specs are answered quickly and briefly, and a spec whose estimated
/// memory or per-step work is over the limits is refused naming the field, for runs and for every race variant.</summary>
public sealed class CostLimitTests : IAsyncLifetime
{
    private readonly ServiceFactory _factory = new(settings: new() { ["Training:WorkerEnabled"] = "false" });
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>{"model":{"hidden":[0,0,…]}} with two million zeros: 4,000,022 bytes, under the 4 MB body limit.</summary>
    private static string TwoMillionZeros(string before = "", string after = "") =>
        before + """{"model":{"hidden":[""" + string.Join(",", Enumerable.Repeat("0", 2_000_000)) + "]}}" + after;

    [Fact]
    public async Task AFourMegabyteSpecOfTwoMillionZerosIsOneSmallErrorAnsweredQuickly()
    {
        string spec = TwoMillionZeros();
        Assert.InRange(spec.Length, 3_900_000, 4 * 1024 * 1024);
        var clock = Stopwatch.StartNew();
        var response = await _client.PostJsonAsync("/api/runs", spec);
        string body = await response.Content.ReadAsStringAsync();
        clock.Stop();

        Assert.True(body.Length < 2048, $"a {body.Length}-byte answer");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 16 hidden layers", Assert.Single(Assert.Single(problem.Errors, e => e.Key == "model.hidden").Value));
        Assert.Single(problem.Errors);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered in {clock.Elapsed.TotalSeconds:F1} s"); // was 6–25 s with a 123 MB body
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task ARaceWhoseBaseOrVariantIsTwoMillionZerosIsOneSmallError()
    {
        var response = await _client.PostJsonAsync("/api/races", TwoMillionZeros("""{"base":""", ""","variants":[{"optimizer":{"type":"sgd"}},{"optimizer":{"type":"adam"}}]}"""));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 2048, $"a {body.Length}-byte answer");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 16 hidden layers", Assert.Single(problem.Errors["base.model.hidden"]));
        Assert.Single(problem.Errors);

        var variant = await _client.PostJsonAsync("/api/races", TwoMillionZeros("""{"base":{},"variants":[{"optimizer":{"type":"sgd"}},""", "]}"));
        string variantBody = await variant.Content.ReadAsStringAsync();
        Assert.True(variantBody.Length < 2048, $"a {variantBody.Length}-byte answer");
        Assert.Contains("at most 16 hidden layers", Assert.Single((await variant.ProblemAsync(HttpStatusCode.BadRequest)).Errors["variants[1].model.hidden"]));
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task ErrorsAreCappedAndHugeValuesAreNotEchoed()
    {
        // 16 bad layers and 20 blank tags: 36 errors, of which 20 are listed and one says how many more.
        var many = await _client.PostJsonAsync("/api/runs",
            $$"""{"model":{"hidden":[{{string.Join(",", Enumerable.Repeat("0", 16))}}]},"tags":[{{string.Join(",", Enumerable.Repeat("\"\"", 20))}}]}""");
        var problem = await many.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(21, problem.Errors.Values.Sum(v => v.Length));
        Assert.Contains("16 more errors", Assert.Single(problem.Errors["$"]));

        string huge = new('x', 1_000_000);
        foreach (string spec in new[] { $$"""{"loss":"{{huge}}"}""", $$"""{"{{huge}}":1}""", $$$"""{"optimizer":{"type":"{{{huge}}}"}}""" })
        {
            var response = await _client.PostJsonAsync("/api/runs", spec);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Length < 2048, $"a {body.Length}-byte answer");
            await response.ProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task APredictionOfTenThousandBadRowsListsTwentyErrors()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 1))).Id);
        Assert.Equal("succeeded", run.Status);
        string rows = string.Join(",", Enumerable.Repeat("[1]", 10_000)); // the model takes 2 features
        var problem = await (await client.PostJsonAsync($"/api/runs/{run.Id}/predict", $$"""{"rows":[{{rows}}]}""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(21, problem.Errors.Values.Sum(v => v.Length));
        Assert.Contains("9,980 more errors", Assert.Single(problem.Errors["$"]));

        var unknown = await client.PostJsonAsync($"/api/runs/{run.Id}/predict", $$"""{"{{new string('x', 1_000_000)}}":1}""");
        string body = await unknown.Content.ReadAsStringAsync();
        Assert.True(body.Length < 2048, $"a {body.Length}-byte answer");
        await unknown.ProblemAsync(HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, string, string> OverLimit => new()
    {
        // 4 layers of 8192: ≈ 200 M weights, gradients, Adam state and checkpoints.
        { """{"model":{"hidden":[8192,8192,8192,8192]}}""", "model.hidden", "Training__MaxRunMemoryMB" },
        // 17 k weights, each needing 2 forward passes over 70 k rows, every step.
        { """{"dataset":{"name":"spiral","samples":100000},"model":{"hidden":[128,128]},"gradient":"numerical","optimizer":{"type":"sgd"},"batchSize":0}""", "gradient", "Training__MaxStepGFlop" },
        // 10,000 individuals, each a forward pass over 700 k rows, every generation.
        { """{"dataset":{"name":"spiral","samples":1000000},"optimizer":{"type":"genetic","populationSize":10000},"batchSize":0}""", "optimizer.populationSize", "Training__MaxStepGFlop" },
        // One full batch of 700 k rows through two layers of 2048.
        { """{"dataset":{"name":"spiral","samples":1000000},"model":{"hidden":[2048,2048]},"batchSize":0}""", "batchSize", "Training__MaxRunMemoryMB" },
    };

    [Theory]
    [MemberData(nameof(OverLimit))]
    public async Task ASpecOverTheCostLimitsIsRefusedNamingTheField(string spec, string field, string setting)
    {
        var problem = await (await _client.PostJsonAsync("/api/runs", spec)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Errors.ContainsKey(field), $"expected '{field}', got: {string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
        string message = Assert.Single(problem.Errors[field], m => m.Contains(setting));
        Assert.Matches(@"≈ [\d,.]+ (MB|GB|GFLOP)", message);
        Assert.Matches(@"the limit is [\d,.]+ (MB|GFLOP)", message);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task EveryRaceVariantIsCheckedAgainstTheCostLimits()
    {
        var response = await _client.PostAsJsonAsync("/api/races", new
        {
            @base = new { dataset = new { name = "spiral", samples = 1_000_000 }, batchSize = 0, epochs = 1 },
            variants = new object[]
            {
                new { optimizer = new { type = "sgd" } },
                new { optimizer = new { type = "genetic", populationSize = 10_000 } },
            },
        }, Api.Json);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Training__MaxStepGFlop", Assert.Single(problem.Errors["variants[1].optimizer.populationSize"]));
        Assert.Single(problem.Errors);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task TheLimitsAreSettingsAndZeroTurnsThemOff()
    {
        var spec = new { dataset = new { name = "spiral", samples = 150 }, model = new { hidden = new[] { 512, 512 } } };
        await using (var strict = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false", ["Training:MaxStepGFlop"] = "0.001" }))
        {
            var problem = await (await strict.CreateClient().PostAsJsonAsync("/api/runs", spec, Api.Json)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("the limit is 0.001 GFLOP (Training__MaxStepGFlop)", Assert.Single(problem.Errors["batchSize"]));
        }
        await using (var tight = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false", ["Training:MaxRunMemoryMB"] = "1" }))
        {
            var problem = await (await tight.CreateClient().PostAsJsonAsync("/api/runs", spec, Api.Json)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("the limit is 1 MB (Training__MaxRunMemoryMB)", Assert.Single(problem.Errors["model.hidden"]));
        }
        await using (var off = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false", ["Training:MaxRunMemoryMB"] = "0", ["Training:MaxStepGFlop"] = "0" }))
            await off.CreateClient().SubmitAsync(new { dataset = new { name = "spiral", samples = 100_000 }, model = new { hidden = new[] { 2048, 2048 } }, batchSize = 0 });
        await _client.SubmitAsync(Api.SmallSpec());
        await _client.SubmitAsync(Api.SlowSpec());
    }

    [Fact]
    public async Task ABodyWithoutALengthIsCutOffAtTheLimitByTheRealServer()
    {
        // Kestrel, not the test server: a chunked body declares no length, so only the server's read limit can stop it.
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:MaxRequestBodyBytes"] = "100000", ["urls"] = "http://127.0.0.1:0",
        });
        factory.UseKestrel();
        factory.StartServer();
        string address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var chunked = new StringContent(TwoMillionZeros(), Encoding.UTF8, "application/json");
        await chunked.LoadIntoBufferAsync();
        var stream = new StreamContent(await chunked.ReadAsStreamAsync());
        stream.Headers.ContentType = chunked.Headers.ContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = stream };
        request.Headers.TransferEncodingChunked = true;
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json)).StatusCode);
    }

    private async Task AssertNothingQueuedAsync()
    {
        var page = await _client.GetFromJsonAsync<Contracts.RunPage>("/api/runs", Api.Json);
        Assert.Equal(0, page!.Total);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }
}
