using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using TrainingService.Api.Contracts;
using TrainingService.Api.Sweeps;

namespace TrainingService.Api.Tests;

/// <summary>Sweeps through real HTTP on a real SQLite file: validation, the trials a grid and a random sweep make (how
/// many, with what values, how many at once), cancel, hyperband, a restart mid-sweep, and the hub's <c>sweep</c>.</summary>
public sealed class SweepTests
{
    private static object Sweep(object parameters, string method = "grid", int parallel = 2, int? runCap = null, object? baseSpec = null,
        object? metric = null, object? earlyTerminate = null, long seed = 5, string name = "s") => new Dictionary<string, object?>
    {
        ["name"] = name, ["base"] = baseSpec ?? Api.SmallSpec(), ["method"] = method, ["parameters"] = parameters, ["parallel"] = parallel,
        ["runCap"] = runCap, ["metric"] = metric ?? new { name = "validationLoss", goal = "minimize" }, ["seed"] = seed, ["earlyTerminate"] = earlyTerminate,
    };

    private static async Task<SweepDto> CreateAsync(HttpClient client, object sweep)
    {
        var response = await client.PostAsJsonAsync("/api/sweeps", sweep, Api.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.Location);
        return (await response.Content.ReadFromJsonAsync<SweepDto>(Api.Json))!;
    }

    private static async Task<SweepDto> GetAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<SweepDto>($"/api/sweeps/{id}", Api.Json))!;

    private static async Task<SweepDto> WaitAsync(HttpClient client, long id, Func<SweepDto, bool>? until = null, int seconds = 120)
    {
        until ??= s => s.State != "running";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var s = await GetAsync(client, id);
            if (until(s)) return s;
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"sweep {id} still {s.State} with {s.TrialCount} trials after {seconds}s");
            await Task.Delay(50);
        }
    }

    private static async Task<HttpValidationProblemDetailsLike> ProblemAsync(HttpClient client, object sweep)
    {
        var response = await client.PostAsJsonAsync("/api/sweeps", sweep, Api.Json);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        return new(problem.Errors);
    }

    private sealed record HttpValidationProblemDetailsLike(IDictionary<string, string[]> Errors)
    {
        public string this[string key] => Errors.TryGetValue(key, out var m) ? string.Join(" | ", m) : throw new Xunit.Sdk.XunitException($"no error for {key}; got {string.Join(", ", Errors.Keys)}");
    }

    [Fact]
    public async Task BadSweepsAreRefusedNamingTheField()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        var e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.lr"] = new { values = new[] { 0.1 } } }));
        Assert.Contains("not a field of the spec", e["parameters[\"optimizer.lr\"]"]);

        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { distribution = "uniform", min = 0.01, max = 0.1 } }));
        Assert.Contains("grid sweep needs values", e["parameters[\"optimizer.learningRate\"].values"]);

        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { distribution = "log_uniform", min = 0.0, max = 0.1 } }, "random", runCap: 3));
        Assert.Contains("min > 0", e["parameters[\"optimizer.learningRate\"].min"]);

        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { distribution = "uniform", min = 0.1, max = 0.01 } }, "random", runCap: 3));
        Assert.Contains("below max", e["parameters[\"optimizer.learningRate\"].min"]);

        // A bound no run could train with: checked as a run's spec is.
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { distribution = "uniform", min = -1.0, max = 0.1 } }, "random", runCap: 3));
        Assert.Contains("learningRate", string.Join(" ", e.Errors.Keys));
        Assert.NotNull(e["parameters[\"optimizer.learningRate\"].min"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["model.activation"] = new { values = new[] { "tanh", "nope" } } }));
        Assert.Contains("nope", e["parameters[\"model.activation\"].values[1]"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["batchSize"] = new { distribution = "uniform", min = 1, max = 64 } }, "random", runCap: 3));
        Assert.Contains("int_uniform", e["parameters[\"batchSize\"].distribution"]);

        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { distribution = "uniform", min = 0.01, max = 0.1 } }, "random"));
        Assert.Contains("runCap", e["runCap"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { values = new[] { 0.1 } } }, parallel: 0));
        Assert.NotNull(e["parallel"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { values = new[] { 0.1 } } }, "annealing"));
        Assert.NotNull(e["method"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { values = new[] { 0.1 } } },
            metric: new { name = "testAccuracy" }, earlyTerminate: new { type = "hyperband", minEpochs = 1, eta = 3 }));
        Assert.Contains("per-epoch", e["metric.name"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { values = new[] { 0.1 } } },
            earlyTerminate: new { type = "hyperband", minEpochs = 4, eta = 3 }));
        Assert.Contains("below the base's epochs", e["earlyTerminate.minEpochs"]);
        e = await ProblemAsync(client, Sweep(new Dictionary<string, object> { ["optimizer.learningRate"] = new { values = new[] { 0.1 } } },
            baseSpec: new { dataset = new { name = "no-such-data" } }));
        Assert.Contains(e.Errors.Keys, k => k.StartsWith("base.dataset", StringComparison.Ordinal));

        Assert.Empty((await client.GetFromJsonAsync<List<SweepDto>>("/api/sweeps", Api.Json))!);
        Assert.Equal(0, (await client.GetFromJsonAsync<RunPage>("/api/runs", Api.Json))!.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sweeps/99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/sweeps/99/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task AGridRunsEachCombinationOnceAndNamesTheBest()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { values = new[] { 0.0005, 0.05 } },
            ["model.hidden"] = new { values = new[] { new[] { 4 }, new[] { 16 } } },
        }, parallel: 2, name: "grid"));
        Assert.Equal("running", created.State);
        Assert.Equal(2, created.Trials!.Count); // the first `parallel` at once

        var done = await WaitAsync(client, created.Id);
        Assert.Equal("finished", done.State);
        Assert.Equal([0, 1, 2, 3], done.Trials!.Select(t => t.Index));
        var combos = done.Trials!.Select(t => $"{t.Parameters["optimizer.learningRate"]}|{t.Parameters["model.hidden"]!.ToJsonString()}").ToHashSet();
        Assert.Equal(new HashSet<string> { "0.0005|[4]", "0.0005|[16]", "0.05|[4]", "0.05|[16]" }, combos);
        Assert.All(done.Trials!, t => Assert.Equal("succeeded", t.Status));
        Assert.All(done.Trials!, t => Assert.NotNull(t.Metric));
        var best = done.Trials!.MinBy(t => t.Metric)!;
        Assert.Equal(best.Index, done.Best!.Index);
        Assert.Equal(best.Metric, done.Best.Metric);
        Assert.Equal(new[] { "model.hidden", "optimizer.learningRate" }, done.Importance.Select(i => i.Parameter).Order());
        Assert.Equal(1.0, done.Importance.Sum(i => i.Importance), 6);

        // Ordinary runs: tagged with the sweep, named for it, with the values set and the base's seed.
        var runs = (await client.GetFromJsonAsync<RunPage>($"/api/runs?tag=sweep:{created.Id}", Api.Json))!;
        Assert.Equal(4, runs.Total);
        foreach (var t in done.Trials!)
        {
            var run = await client.GetRunAsync(t.RunId);
            Assert.Equal($"grid #{t.Index}", run.Name);
            Assert.Equal((double)t.Parameters["optimizer.learningRate"]!, run.Spec.Optimizer!.LearningRate);
            Assert.Equal(t.Parameters["model.hidden"]!.ToJsonString(), JsonSerializer.Serialize(run.Spec.Model!.Hidden));
            Assert.Equal(1, run.Spec.Seed);
            Assert.Equal(t.Metric, run.Summary!.ValidationLoss);
        }
        var listed = (await client.GetFromJsonAsync<List<SweepDto>>("/api/sweeps", Api.Json))!;
        Assert.Equal(created.Id, Assert.Single(listed).Id);
        Assert.Equal(4, listed[0].TrialCount);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/sweeps/{created.Id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task ARandomSweepRespectsRunCapParallelAndItsRanges()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { distribution = "log_uniform", min = 0.001, max = 0.1 },
            ["batchSize"] = new { distribution = "int_uniform", min = 8, max = 32 },
        }, "random", parallel: 2, runCap: 5));
        var done = await WaitAsync(client, created.Id);
        Assert.Equal("finished", done.State);
        Assert.Equal([0, 1, 2, 3, 4], done.Trials!.Select(t => t.Index));
        foreach (var t in done.Trials!)
        {
            double lr = (double)t.Parameters["optimizer.learningRate"]!;
            Assert.InRange(lr, 0.001, 0.1);
            Assert.InRange((int)t.Parameters["batchSize"]!, 8, 32);
        }
        // Never more than `parallel` unfinished: when each trial's run was created, fewer than 2 earlier ones had not finished.
        var runs = new List<RunDto>();
        foreach (var t in done.Trials!) runs.Add(await client.GetRunAsync(t.RunId));
        foreach (var r in runs)
            Assert.True(runs.Count(o => o.Id != r.Id && o.CreatedAt <= r.CreatedAt && (o.FinishedAt is null || o.FinishedAt > r.CreatedAt)) < 2,
                $"run {r.Id} was created while 2 others were unfinished");

        // The same seed proposes the same trials.
        var again = await WaitAsync(client, (await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { distribution = "log_uniform", min = 0.001, max = 0.1 },
            ["batchSize"] = new { distribution = "int_uniform", min = 8, max = 32 },
        }, "random", parallel: 2, runCap: 5))).Id);
        Assert.Equal(done.Trials!.Select(t => t.Parameters.ToJsonString()), again.Trials!.Select(t => t.Parameters.ToJsonString()));
    }

    [Fact]
    public async Task ABayesSweepRunsItsCapWithinTheRanges()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { distribution = "log_uniform", min = 0.001, max = 0.1 },
            ["model.activation"] = new { values = new[] { "tanh", "relu" } },
        }, "bayes", parallel: 1, runCap: 4, metric: new { name = "validationAccuracy" }));
        Assert.Equal("maximize", created.Metric.Goal); // an accuracy's default
        var done = await WaitAsync(client, created.Id);
        Assert.Equal("finished", done.State);
        Assert.Equal([0, 1, 2, 3], done.Trials!.Select(t => t.Index));
        foreach (var t in done.Trials!)
        {
            Assert.InRange((double)t.Parameters["optimizer.learningRate"]!, 0.001, 0.1);
            Assert.Contains((string)t.Parameters["model.activation"]!, new[] { "tanh", "relu" });
        }
        Assert.Equal(done.Trials!.Max(t => t.Metric), done.Best!.Metric); // maximized
    }

    [Fact]
    public async Task CancelStopsQueuedAndRunningTrialsAndProposesNoMore()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { values = new[] { 0.01, 0.02, 0.03, 0.04 } },
        }, parallel: 2, baseSpec: Api.SlowSpec()));
        Assert.Equal(2, created.Trials!.Count);
        await client.WaitAsync(created.Trials[0].RunId, r => r.Status == "running");

        var response = await client.PostAsync($"/api/sweeps/{created.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<SweepDto>(Api.Json))!.State);
        foreach (var t in created.Trials) await client.WaitAsync(t.RunId, r => r.Status == "cancelled"); // one was running, one queued
        var trained = await client.WaitAsync(created.Trials[0].RunId); // stopped: its outcome stored
        Assert.True(trained.Progress.Step < trained.Progress.TotalSteps);
        await Task.Delay(3 * SweepCoordinator.Interval); // rounds of the coordinator: nothing more
        var after = await GetAsync(client, created.Id);
        Assert.Equal(2, after.TrialCount);
        Assert.Equal("cancelled", after.State);
        Assert.NotNull(after.FinishedAt);
    }

    [Fact]
    public async Task HyperbandPrunesClearlyWorseTrialsAndKeepsTheBest()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // One at a time, the good learning rate first: the slow ones reach epoch 2 behind it and are pruned there.
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { values = new[] { 0.05, 0.00001, 0.00002 } },
        }, parallel: 1, baseSpec: Api.SmallSpec(epochs: 8), earlyTerminate: new { type = "hyperband", minEpochs = 2, eta = 2 }));
        var done = await WaitAsync(client, created.Id);
        Assert.Equal("finished", done.State);
        Assert.Equal("succeeded", done.Trials![0].Status);
        Assert.Equal(8, done.Trials[0].Epochs);
        foreach (var t in done.Trials.Skip(1))
        {
            Assert.Equal("pruned", t.Status);
            Assert.Equal(2, t.PrunedAtEpoch);
            Assert.Equal(2, t.Epochs);
            Assert.NotNull(t.Metric); // ended with its summary: the metric at the epoch it stopped
            var run = await client.GetRunAsync(t.RunId);
            Assert.Equal("cancelled", run.Status);
            Assert.Contains("pruned at epoch 2", run.Error);
        }
        Assert.Equal(0, done.Best!.Index);
    }

    [Fact]
    public async Task ASweepCarriesOnAfterARestartWithEachTrialOnce()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            // Trials long enough (≈ 1 s each here) that the restart falls inside the sweep even on a host several times faster.
            object baseSpec = new
            {
                dataset = new { name = "spiral", samples = 2000 }, model = new { hidden = new[] { 32 } }, batchSize = 16, epochs = 80, seed = 2,
            };
            long id;
            await using (var first = new ServiceFactory(dir))
            {
                var client = first.CreateClient();
                var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
                {
                    ["optimizer.learningRate"] = new { values = new[] { 0.01, 0.02, 0.03, 0.04 } },
                }, parallel: 1, baseSpec: baseSpec));
                id = created.Id;
                await client.WaitAsync(created.Trials![0].RunId, r => r.Progress.Epoch >= 1, 120);
                var mid = await GetAsync(client, id);
                Assert.Equal("running", mid.State);
                Assert.True(mid.TrialCount < 4);
            }
            await using var second = new ServiceFactory(dir);
            var again = second.CreateClient();
            var done = await WaitAsync(again, id, seconds: 300);
            Assert.Equal("finished", done.State);
            Assert.Equal([0, 1, 2, 3], done.Trials!.Select(t => t.Index));
            Assert.All(done.Trials!, t => Assert.Equal("succeeded", t.Status));
            Assert.Equal(4, done.Trials!.Select(t => t.RunId).Distinct().Count());
            Assert.Equal(4, (await again.GetFromJsonAsync<RunPage>($"/api/runs?tag=sweep:{id}", Api.Json))!.Total);
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task TheHubSendsTheSweepAsItsTrialsEnd()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var messages = new List<SweepDto>();
        var finished = new TaskCompletionSource<SweepDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, SweepDto>("sweep", (id, dto) =>
        {
            lock (messages) messages.Add(dto);
            if (dto.State == "finished") finished.TrySetResult(dto);
        });
        await hub.InvokeAsync("SubscribeSweep", 1L); // a fresh database's first sweep: watched from its start
        var created = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { values = new[] { 0.01, 0.05 } },
        }, parallel: 1));
        Assert.Equal(1, created.Id);
        var last = await finished.Task.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(created.Id, last.Id);
        Assert.Equal(2, last.Trials!.Count);
        Assert.All(last.Trials, t => Assert.Equal("succeeded", t.Status));
        lock (messages) Assert.Contains(messages, m => m.TrialCount == 2 && m.State == "running"); // the second trial's creation
    }

    [Fact]
    public async Task TrialsWaitWhileTheQueueIsFull()
    {
        await using var factory = new ServiceFactory(settings: new()
        {
            ["Training:WorkerEnabled"] = "false", ["Training:MaxQueuedRuns"] = "3", ["Training:MaxQueuedRunsPerClient"] = "3",
        });
        var client = factory.CreateClient();
        await client.SubmitAsync(Api.SmallSpec());
        var sweep = await CreateAsync(client, Sweep(new Dictionary<string, object>
        {
            ["optimizer.learningRate"] = new { distribution = "log_uniform", min = 0.001, max = 0.1 },
        }, "random", parallel: 4, runCap: 6));
        await Task.Delay(1500); // coordinator rounds come and go: the queue stays at its limit
        var s = await GetAsync(client, sweep.Id);
        Assert.Equal(2, s.TrialCount);
        var runs = await client.GetFromJsonAsync<JsonElement>("/api/runs?status=queued", Api.Json);
        Assert.Equal(3, runs.GetProperty("items").GetArrayLength());
        // a plain submission now finds the queue full, as it would without the sweep
        await (await client.PostAsJsonAsync("/api/runs", Api.SmallSpec(), Api.Json)).ProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
