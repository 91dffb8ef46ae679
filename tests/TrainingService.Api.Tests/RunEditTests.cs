using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using TrainingService.Api.Contracts;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Tests;

/// <summary><c>PATCH /api/runs/{id}</c>: a run's name, tags and notes, each on its own, in any status; checked by the
/// submission's rules; the spec is left as submitted.</summary>
public sealed class RunEditTests
{
    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, long id, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/runs/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return client.SendAsync(request);
    }

    private static async Task<RunDto> EditAsync(HttpClient client, long id, string json)
    {
        var response = await PatchAsync(client, id, json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(Api.Json))!;
    }

    [Fact]
    public async Task EachFieldIsSetOnItsOwnAndTheOthersStay()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec(name: "first", tags: ["a", "b"]));
        Assert.Null(run.Notes);

        var named = await EditAsync(client, run.Id, """{ "name": "second" }""");
        Assert.Equal(("second", "a b", (string?)null), (named.Name, string.Join(' ', named.Tags), named.Notes));
        Assert.Equal("first", named.Spec.Name); // the spec stays as submitted

        var tagged = await EditAsync(client, run.Id, """{ "tags": ["c", "a", "c"] }""");
        Assert.Equal(("second", "a c"), (tagged.Name, string.Join(' ', tagged.Tags)));

        var noted = await EditAsync(client, run.Id, """{ "notes": "lr too high?\nretry with 0.01" }""");
        Assert.Equal(("second", "a c", "lr too high?\nretry with 0.01"), (noted.Name, string.Join(' ', noted.Tags), noted.Notes));

        // Read back, and found by the list's tag filter and text search under the new labels.
        var stored = await client.GetRunAsync(run.Id);
        Assert.Equal(("second", "lr too high?\nretry with 0.01", "queued"), (stored.Name, stored.Notes, stored.Status));
        Assert.Equal(1, (await client.GetFromJsonAsync<RunPage>("/api/runs?tag=c", Api.Json))!.Total);
        Assert.Equal(0, (await client.GetFromJsonAsync<RunPage>("/api/runs?tag=b", Api.Json))!.Total);

        var cleared = await EditAsync(client, run.Id, """{ "notes": "", "tags": [] }""");
        Assert.Equal(("second", 0, (string?)null), (cleared.Name, cleared.Tags.Count, cleared.Notes));
    }

    [Fact]
    public async Task TheEditIsPushedToTheHubAsTheRunsNewState()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec(name: "old"));
        await using var hub = await factory.ConnectHubAsync();
        var pushed = new TaskCompletionSource<RunDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, RunDto>("status", (id, r) => { if (id == run.Id && r.Name == "new") pushed.TrySetResult(r); });

        await EditAsync(client, run.Id, """{ "name": "new", "notes": "seen live" }""");
        var seen = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("new", "seen live", "queued"), (seen.Name, seen.Notes, seen.Status));
    }

    [Fact]
    public async Task AFinishedRunCanBeEdited()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.WaitAsync((await client.SubmitAsync(Api.SmallSpec(epochs: 1))).Id);
        Assert.Equal("succeeded", run.Status);
        var edited = await EditAsync(client, run.Id, """{ "name": "kept", "notes": "baseline" }""");
        Assert.Equal(("kept", "baseline", "succeeded"), (edited.Name, edited.Notes, edited.Status));
        Assert.Equal(run.Summary, edited.Summary);
    }

    [Theory]
    [InlineData("""{ "name": "" }""", "name", "1–200 characters")]
    [InlineData("""{ "name": "   " }""", "name", "not blank")]
    [InlineData("""{ "tags": ["ok", ""] }""", "tags[1]", "1–50 characters")]
    [InlineData("""{ "tags": ["ok", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"] }""", "tags[1]", "1–50 characters")]
    [InlineData("""{ "tags": ["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20","21"] }""", "tags", "at most 20 tags")]
    [InlineData("""{ "colour": "red" }""", "colour", "")]
    [InlineData("""{ "name": 5 }""", "name", "")]
    public async Task BadFieldsAreRefusedNamingTheField(string body, string field, string expected)
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec(name: "unchanged"));
        var problem = await (await PatchAsync(client, run.Id, body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, Assert.Single(problem.Errors[field]));
        Assert.Equal("unchanged", (await client.GetRunAsync(run.Id)).Name);
    }

    [Fact]
    public async Task NotesLongerThanTheLimitAreRefused()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec());
        string notes = new('n', Run.MaxNotesLength + 1);
        var problem = await (await PatchAsync(client, run.Id, $$"""{ "notes": "{{notes}}", "name": "" }""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 10,000 characters", Assert.Single(problem.Errors["notes"]));
        Assert.Contains("name", problem.Errors.Keys); // every problem at once
        Assert.Equal(Run.MaxNotesLength, (await EditAsync(client, run.Id, $$"""{ "notes": "{{notes[1..]}}" }""")).Notes!.Length);
    }

    [Fact]
    public async Task AnUnknownRunIs404()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var problem = await (await PatchAsync(factory.CreateClient(), 999, """{ "name": "x" }""")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("run 999", problem.Detail);
    }

    [Fact]
    public async Task WithAnApiKeyTheEditNeedsIt()
    {
        const string key = "edit-key";
        await using var factory = new ServiceFactory(settings: new() { ["Training:ApiKey"] = key, ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(Api.SmallSpec(name: "mine"), options: Api.Json) };
        submit.Headers.Add("X-Api-Key", key);
        var run = (await (await client.SendAsync(submit)).Content.ReadFromJsonAsync<RunDto>(Api.Json))!;

        await (await PatchAsync(client, run.Id, """{ "name": "theirs" }""")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await PatchAsync(client, run.Id, """{ "name": "theirs" }""", "wrong")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("mine", (await client.GetRunAsync(run.Id)).Name);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, run.Id, """{ "name": "ours" }""", key)).StatusCode);
        Assert.Equal("ours", (await client.GetRunAsync(run.Id)).Name);
    }

    [Fact]
    public async Task ACrossSiteEditIsRefused()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec(name: "mine"));
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/runs/{run.Id}") { Content = new StringContent("""{ "name": "x" }""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        await (await client.SendAsync(request)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("mine", (await client.GetRunAsync(run.Id)).Name);
    }
}
