using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace TrainingService.Api.Tests;

/// <summary>Malformed and hostile input: every case is a 400 problem+json naming the field, and the service stays healthy.</summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private readonly ServiceFactory _factory = new(settings: new() { ["Training:MaxUploadBytes"] = "2000" });
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public static TheoryData<string, string> BadSpecs => new()
    {
        { """{"optimizer":{"learningRate":-1}}""", "optimizer.learningRate" },
        { """{"optimizer":{"learningRate":0}}""", "optimizer.learningRate" },
        { """{"model":{"hidden":[4,0]}}""", "model.hidden[1]" },
        { """{"dataset":{"name":"spiral"},"model":{"layers":[{"type":"conv2d","filters":4,"kernel":3}]}}""", "model.layers[0].type" },
        { """{"model":{"layers":[{"type":"conv2d","filters":4,"kernel":"big"}]}}""", "model.layers[0].kernel" },
        { """{"model":{"layers":[{"type":"flatten","rate":0.5}]}}""", "model.layers[0].rate" },
        { """{"model":{"layers":[{"type":"dense","units":4}],"hidden":[4]}}""", "model.hidden" },
        { """{"model":{"hidden":[4,-3,2]}}""", "model.hidden[1]" },
        { """{"model":{"hidden":[100000]}}""", "model.hidden[0]" },
        { """{"unknownField":1}""", "unknownField" },
        { """{"optimizer":{"type":"adam","lr":0.1}}""", "optimizer.lr" },
        { """{"epochs":"ten"}""", "epochs" },
        { """{"model":{"hidden":"wide"}}""", "model.hidden" },
        { """{"model":{"hidden":[4, "x"]}}""", "model.hidden[1]" },
        { """{"epochs":1.5}""", "epochs" },
        { """{"epochs":0}""", "epochs" },
        { """{"epochs":-5}""", "epochs" },
        { """{"epochs":99999999999}""", "epochs" },
        { """{"batchSize":-1}""", "batchSize" },
        { """{"dataset":{"name":"linear"},"loss":"cross_entropy"}""", "loss" },
        { """{"dataset":{"name":"no_such_dataset"}}""", "dataset.name" },
        { """{"dataset":{"name":"../../etc/passwd"}}""", "dataset.name" },
        { """{"dataset":{"name":"spiral","samples":0}}""", "dataset.samples" },
        { """{"dataset":{"name":"spiral","samples":5000000000}}""", "dataset.samples" },
        { """{"dataset":{"name":"spiral","noise":-1}}""", "dataset.noise" },
        { """{"dataset":{"validationFraction":1.5}}""", "dataset.validationFraction" },
        { """{"dataset":{"testFraction":-0.1}}""", "dataset.testFraction" },
        { """{"optimizer":{"type":"sgdx"}}""", "optimizer.type" },
        { """{"model":{"activation":"swish"}}""", "model.activation" },
        { """{"model":{"init":"zeros"}}""", "model.init" },
        { """{"loss":"hinge"}""", "loss" },
        { """{"gradient":"symbolic"}""", "gradient" },
        { """{"model":{"activation":"step"},"gradient":"backprop"}""", "model.activation" },
        { """{"optimizer":{"type":"momentum","momentum":2}, "epochs": 1}""", "optimizer.momentum" },
        { """{"optimizer":{"type":"adagrad","alpha":0.9}}""", "optimizer.alpha" },
        { """{"optimizer":{"type":"nesterov","momentum":0}}""", "optimizer.momentum" },
        { """{"optimizer":{"type":"adam","beta1":1.0}}""", "optimizer.beta1" },
        { """{"model":{"hidden":[8192,8192,8192]}}""", "$" },
        { """{"tags":[""]}""", "tags[0]" },
        { """{"seed":"abc"}""", "seed" },
        { """{"optimizer":{"schedule":{"type":"sometimes"}}}""", "optimizer.schedule.type" },
        { """{"model":{"hidden":[4]""", "$" },
        { """not json at all""", "$" },
        { "", "$" },
        { "null", "$" },
        { "[1,2,3]", "$" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task BadSpecIsA400NamingTheField(string body, string path)
    {
        var response = await _client.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        if (path == "$") Assert.NotEmpty(problem.Errors); // resource limits and unparsable bodies: any path, but named
        else Assert.True(problem.Errors.ContainsKey(path), $"expected an error at '{path}', got: {string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
        Assert.All(problem.Errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));

        await AssertHealthyAndNothingQueuedAsync();
    }

    [Fact]
    public async Task EveryBadFieldOfASpecIsReportedAtOnce()
    {
        var response = await _client.PostJsonAsync("/api/runs", """{"optimizer":{"learningRate":-1},"model":{"hidden":[4,0]},"epochs":0}""");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("optimizer.learningRate", problem.Errors.Keys);
        Assert.Contains("model.hidden[1]", problem.Errors.Keys);
        Assert.Contains("epochs", problem.Errors.Keys);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "/api/runs?page=0", "page" },
        { "/api/runs?page=abc", "page" },
        { "/api/runs?pageSize=1000", "pageSize" },
        { "/api/runs?status=sleeping", "status" },
        { "/api/runs/metrics.csv", "ids" },
        { "/api/runs/metrics.csv?ids=1,x", "ids" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadQueryIsA400NamingTheParameter(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(parameter, problem.Errors.Keys);
    }

    [Fact]
    public async Task BadMetricsQueryIsA400()
    {
        var run = await _client.SubmitAsync(Api.SmallSpec());
        var problem = await (await _client.GetAsync($"/api/runs/{run.Id}/metrics?maxPoints=1&fromStep=-2")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("maxPoints", problem.Errors.Keys);
        Assert.Contains("fromStep", problem.Errors.Keys);
    }

    public static TheoryData<string, string?, string?, string> BadUploads => new()
    {
        { "a,b,label\n1,2,x\n3,4\n", "ragged", null, "line 3" },
        { "a,b,label\n1,2,x\n3,four,y\n", "notnumber", null, "line 3" },
        { "", "empty", null, "empty" },
        { "a,b,label\n", "headeronly", null, "no data rows" },
        { "a,b,label\n1,2,x\n", "../escape", null, "name" },
        { "a,b,label\n1,2,x\n", "has space", null, "name" },
        { "a,b,label\n1,2,x\n", "notarget", "nope", "target" },
        { "a,b,label\n" + string.Concat(Enumerable.Repeat("1.000000,2.000000,x\n", 200)), "toolarge", null, "limit" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task BadUploadIsA400WithAClearMessage(string csv, string? name, string? target, string expected)
    {
        using var form = new MultipartFormDataContent { { new StringContent(csv), "file", "data.csv" } };
        if (name is not null) form.Add(new StringContent(name), "name");
        if (target is not null) form.Add(new StringContent(target), "target");
        var problem = await (await _client.PostAsync("/api/datasets", form)).ProblemAsync(HttpStatusCode.BadRequest);
        string all = string.Join(" | ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
        Assert.Contains(expected, all);
        Assert.False(File.Exists(Path.Combine(_factory.DataDirectory, "uploads", $"{name}.csv")));
        await AssertHealthyAndNothingQueuedAsync();
    }

    [Fact]
    public async Task UploadThatIsNotAFormIsRefusedAsUnsupportedMediaType()
    {
        await (await _client.PostJsonAsync("/api/datasets", "{}")).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task UploadFormWithoutAFileIsA400NamingFile()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        var problem = await (await _client.PostAsync("/api/datasets", form)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("file", problem.Errors.Keys);
    }

    private async Task AssertHealthyAndNothingQueuedAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
        var page = await _client.GetFromJsonAsync<TrainingService.Api.Contracts.RunPage>("/api/runs", Api.Json);
        Assert.Equal(0, page!.Total);
    }
}
