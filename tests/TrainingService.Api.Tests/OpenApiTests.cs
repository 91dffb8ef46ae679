using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TrainingService.Api.OpenApi;

namespace TrainingService.Api.Tests;

/// <summary>The OpenAPI document against the service it describes: its examples are accepted, its query types are what
/// the handlers parse, its security is what the key middleware enforces, its operationIds read well. (Redocly's lint of
/// the same document is in tests/e2e/openapi.test.mjs.)</summary>
public sealed class OpenApiTests
{
    private const string Key = "s3cret-key";

    private sealed record Operation(string Method, string Path, JsonElement Op);

    /// <summary>The served document's operations, and its component schemas.</summary>
    private static async Task<(List<Operation> Ops, JsonElement Schemas)> DocumentAsync(HttpClient client)
    {
        var root = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var ops = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => new Operation(op.Name.ToUpperInvariant(), path.Name, op.Value)))
            .ToList();
        return (ops, root.GetProperty("components").GetProperty("schemas"));
    }

    private static bool TryContent(Operation o, string mediaType, out JsonElement media)
    {
        media = default;
        return o.Op.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty(mediaType, out media);
    }

    [Fact]
    public async Task EveryRequestExampleIsAcceptedByItsEndpoint()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:RateLimitPermits"] = "0" });
        var client = factory.CreateClient();
        var (ops, schemas) = await DocumentAsync(client);

        // The run example first: the operations on one run ({id}) use the run it creates, once trained.
        Assert.True(TryContent(ops.Single(o => o is { Method: "POST", Path: "/api/runs" }), "application/json", out var runMedia));
        var created = await client.PostJsonAsync("/api/runs", runMedia.GetProperty("example").GetRawText());
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        long id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        Assert.Equal("succeeded", (await client.WaitAsync(id)).Status);

        var posted = new List<string>();
        foreach (var o in ops)
        {
            HttpContent? content =
                TryContent(o, "application/json", out var json) && json.TryGetProperty("example", out var example)
                    ? new StringContent(example.GetRawText(), Encoding.UTF8, "application/json")
                : TryContent(o, "multipart/form-data", out var form) ? FormFromExamples(form.GetProperty("schema"), schemas)
                : null;
            if (content is null) continue;
            var request = new HttpRequestMessage(new HttpMethod(o.Method), o.Path.Replace("{id}", id.ToString()).Replace("{name}", PathExample(o, "name"))) { Content = content };
            var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode,
                $"{o.Method} {o.Path} refused its example: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            posted.Add($"{o.Method} {o.Path}");
        }
        Assert.Superset(new HashSet<string> { "POST /api/runs", "POST /api/races", "POST /api/sweeps", "POST /api/runs/{id}/predict", "POST /api/datasets", "PUT /api/datasets/{name}" }, posted.ToHashSet());
    }

    /// <summary>The example of a path parameter (what Swagger UI fills in), "" when it has none.</summary>
    private static string PathExample(Operation o, string name) =>
        o.Op.TryGetProperty("parameters", out var ps)
        && ps.EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } p
        && p.TryGetProperty("example", out var example) ? example.GetString() ?? "" : "";

    /// <summary>A multipart body from the form schema's property examples (what Swagger UI fills in), and a small CSV
    /// for each file property (what the user chooses).</summary>
    private static MultipartFormDataContent FormFromExamples(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference)) schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        var form = new MultipartFormDataContent();
        foreach (var p in schema.GetProperty("properties").EnumerateObject())
        {
            if (p.Value.TryGetProperty("format", out var format) && format.GetString() == "binary")
            {
                var file = new ByteArrayContent("x1,x2,label\n0.1,0.2,a\n0.3,0.1,b\n0.5,0.9,a\n0.7,0.4,b\n"u8.ToArray());
                file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(file, p.Name, "points.csv");
            }
            else if (p.Value.TryGetProperty("example", out var example))
                form.Add(new StringContent(example.GetString() ?? ""), p.Name);
        }
        return form;
    }

    [Fact]
    public async Task QueryParametersDocumentedAsNumbersOrBooleansRefuseTextNamingTheParameter()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var (ops, _) = await DocumentAsync(client);
        var typed = new List<string>();
        foreach (var o in ops.Where(o => o.Method == "GET" && o.Op.TryGetProperty("parameters", out _)))
            foreach (var p in o.Op.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                string name = p.GetProperty("name").GetString()!, type = p.GetProperty("schema").GetProperty("type").GetString()!;
                if (type is not ("integer" or "number" or "boolean")) continue;
                var response = await client.GetAsync($"{o.Path.Replace("{id}", "1")}?{name}=abc");
                var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
                Assert.True(problem.Errors.ContainsKey(name), $"{o.Path}?{name}=abc: errors name {string.Join(", ", problem.Errors.Keys)}");
                typed.Add($"{o.Path}?{name}:{type}");
            }
        Assert.Contains("/api/runs?page:integer", typed);
        Assert.Contains("/api/runs?pageSize:integer", typed);
        Assert.Contains("/api/runs/{id}/metrics?maxPoints:integer", typed);
        Assert.Contains("/api/runs/{id}/landscape?wMin:number", typed);
        Assert.Contains("/api/runs/{id}/landscape?trajectory:boolean", typed);
    }

    [Fact]
    public async Task SecurityIsDocumentedAsTheKeyMiddlewareEnforcesIt()
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:ApiKey"] = Key, ["Training:WorkerEnabled"] = "false", ["Training:RateLimitPermits"] = "0",
        });
        var client = factory.CreateClient();
        var (ops, _) = await DocumentAsync(client);
        foreach (var o in ops)
        {
            var security = o.Op.GetProperty("security").EnumerateArray().ToList();
            bool anonymous = security.Any(s => !s.EnumerateObject().Any());
            Assert.Contains(security, s => s.TryGetProperty(ApiKeySecurity.Scheme, out _));
            Assert.True(o.Op.GetProperty("responses").TryGetProperty("401", out _), $"{o.Method} {o.Path} documents no 401");

            var request = new HttpRequestMessage(new HttpMethod(o.Method), o.Path.Replace("{id}", "1").Replace("{name}", "xor") + (o.Path.EndsWith("runs/metrics.csv") ? "?ids=1" : ""));
            if (o.Method != "GET") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            var status = (await client.SendAsync(request)).StatusCode;
            Assert.True(anonymous == (status != HttpStatusCode.Unauthorized),
                $"{o.Method} {o.Path} is documented {(anonymous ? "anonymous" : "keyed")} and answered {(int)status} without the key");
        }
        Assert.Contains(ops, o => o is { Method: "GET", Path: "/api/runs" });
    }

    [Fact]
    public async Task EveryOperationHasAReadableOperationId()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var (ops, _) = await DocumentAsync(factory.CreateClient());
        var ids = ops.ToDictionary(o => $"{o.Method} {o.Path}", o => o.Op.GetProperty("operationId").GetString());
        Assert.Equal(ids.Count, ids.Values.Distinct().Count());
        Assert.Equal("listRuns", ids["GET /api/runs"]);
        Assert.Equal("createRun", ids["POST /api/runs"]);
        Assert.Equal("getRun", ids["GET /api/runs/{id}"]);
        Assert.Equal("deleteRun", ids["DELETE /api/runs/{id}"]);
        Assert.Equal("cancelRun", ids["POST /api/runs/{id}/cancel"]);
        Assert.Equal("getRunMetricsCsv", ids["GET /api/runs/{id}/metrics.csv"]);
        Assert.Equal("getRunsMetricsCsv", ids["GET /api/runs/metrics.csv"]);
        Assert.Equal("predict", ids["POST /api/runs/{id}/predict"]);
        Assert.Equal("createRace", ids["POST /api/races"]);
        Assert.Equal("createSweep", ids["POST /api/sweeps"]);
        Assert.Equal("listSweeps", ids["GET /api/sweeps"]);
        Assert.Equal("getSweep", ids["GET /api/sweeps/{id}"]);
        Assert.Equal("cancelSweep", ids["POST /api/sweeps/{id}/cancel"]);
        Assert.Equal("listDatasets", ids["GET /api/datasets"]);
        Assert.Equal("getDataset", ids["GET /api/datasets/{name}"]);
        Assert.Equal("createDataset", ids["POST /api/datasets"]);
    }

    [Theory]
    [InlineData("GET", "api/spec", "getSpec")]
    [InlineData("PATCH", "api/runs/{id}", "updateRun")]
    [InlineData("PUT", "api/datasets/{name}", "replaceDataset")]
    [InlineData("DELETE", "api/datasets/{name}", "deleteDataset")]
    [InlineData("GET", "api/runs/{id}/confusion-matrix", "getRunConfusionMatrix")]
    public void OperationIdsOfRoutesToCome(string method, string path, string expected) =>
        Assert.Equal(expected, OperationIds.FromRoute(method, path));
}
