using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Races;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

public sealed class RaceTests
{
    private static object Race(params object[] variants) => new
    {
        name = "spiral race",
        @base = new { dataset = new { name = "spiral", samples = 150 }, model = new { hidden = new[] { 8 } }, batchSize = 16, epochs = 3 },
        variants,
    };

    private static async Task<RaceDto> CreateRaceAsync(HttpClient client, object race)
    {
        var response = await client.PostAsJsonAsync("/api/races", race, Api.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dto = (await response.Content.ReadFromJsonAsync<RaceDto>(Api.Json))!;
        Assert.Equal($"/api/races/{dto.Id}", response.Headers.Location?.OriginalString);
        return dto;
    }

    [Fact]
    public async Task RaceRunsShareInitialParametersAndBatchOrder()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var race = await CreateRaceAsync(client, Race(
            new { optimizer = new { type = "sgd", learningRate = 0.1 } },
            new { label = "sgd again", optimizer = new { type = "sgd", learningRate = 0.1 } },
            new { optimizer = new { type = "momentum" } },
            new { optimizer = new { type = "adam", learningRate = 0.01 } }));

        Assert.Equal(["spiral race · sgd", "spiral race · sgd again", "spiral race · momentum", "spiral race · adam"], race.Runs.Select(r => r.Name));
        Assert.All(race.Runs, r => Assert.Equal(race.Id, r.RaceId));
        Assert.Single(race.Runs.Select(r => r.Spec.Seed).Distinct()); // the base left it unset: one seed was chosen for all
        var runs = new List<Contracts.RunDto>();
        foreach (var r in race.Runs) runs.Add(await client.WaitAsync(r.Id));
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status));

        // Step 0: the sessions the worker rebuilds from the stored specs hold the same weights and batch-stream state.
        var starts = runs.Select(r => TrainingSession.Create(r.Spec, factory.DataDirectory).CreateCheckpoint()).ToList();
        Assert.All(starts, c => Assert.Equal(starts[0].Parameters, c.Parameters));
        Assert.All(starts, c => Assert.Equal(starts[0].RngState, c.RngState));

        // The first batch: every gradient method's first loss is computed on the same weights and rows.
        var metrics = new List<Contracts.RunMetrics>();
        foreach (var r in runs) metrics.Add(await client.GetMetricsAsync(r.Id));
        Assert.All(metrics, m => Assert.Equal(metrics[0].Steps[0].Loss, m.Steps[0].Loss));
        // Every batch: the same optimizer twice follows exactly the same path, step for step.
        Assert.Equal(metrics[0].Steps.Select(s => s.Loss), metrics[1].Steps.Select(s => s.Loss));
        Assert.NotEqual(metrics[0].Steps[^1].Loss, metrics[3].Steps[^1].Loss);

        // The stored epoch checkpoints: the batch stream has been drawn identically in every run.
        await using var db = Database.Open(factory.DataDirectory);
        var ids = runs.Select(r => r.Id).ToList();
        var checkpoints = await db.Checkpoints.AsNoTracking().Where(c => ids.Contains(c.RunId)).ToListAsync();
        Assert.Equal(4, checkpoints.Count);
        var states = checkpoints.Select(c => Checkpoint.Deserialize(c.Data)).ToList();
        Assert.All(states, s => Assert.Equal(3, s.Epoch));
        Assert.All(states, s => Assert.Equal(states[0].RngState, s.RngState));

        var read = (await client.GetFromJsonAsync<RaceDto>($"/api/races/{race.Id}", Api.Json))!;
        Assert.Equal(ids, read.Runs.Select(r => r.Id));
        Assert.Equal("spiral race", read.Name);
    }

    [Fact]
    public async Task AModelVariantRacesActivationsOnTheSameWeights()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var race = await CreateRaceAsync(client, new
        {
            @base = new { dataset = new { name = "xor", samples = 40 }, model = new { hidden = new[] { 6, 6 } }, optimizer = new { type = "sgd" }, epochs = 1, seed = 3 },
            variants = new object[] { new { model = new { hidden = new[] { 6, 6 }, activation = "sigmoid" } }, new { model = new { hidden = new[] { 6, 6 }, activation = "relu" } } },
        });
        Assert.Equal(["race on xor · sigmoid", "race on xor · relu"], race.Runs.Select(r => r.Name));
        Assert.All(race.Runs, r => Assert.Equal(("sgd", 3L), (r.Spec.Optimizer!.Type!, r.Spec.Seed!.Value)));
        var a = TrainingSession.Create(race.Runs[0].Spec, factory.DataDirectory).Network.GetFlatParameters();
        var b = TrainingSession.Create(race.Runs[1].Spec, factory.DataDirectory).Network.GetFlatParameters();
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task AnMlpRacesACnnOnTheSameSplitAndBatches()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var cnn = new { layers = new object[] { new { type = "conv2d", filters = 4, kernel = 3 }, new { type = "relu" }, new { type = "maxpool2d", kernel = 2 }, new { type = "flatten" } } };
        var race = await CreateRaceAsync(client, new
        {
            @base = new { dataset = new { name = "digits" }, model = new { hidden = new[] { 32 } }, optimizer = new { type = "adam", learningRate = 0.01 }, batchSize = 64, epochs = 1 },
            variants = new object[] { new { model = new { hidden = new[] { 32 } } }, new { model = cnn } },
        });
        Assert.Equal(["race on digits · mlp", "race on digits · cnn"], race.Runs.Select(r => r.Name));
        var (mlp, conv) = (race.Runs[0].Spec, race.Runs[1].Spec);
        Assert.Equal([32], mlp.Model!.Hidden!);
        Assert.Null(mlp.Model.Layers);
        Assert.Equal(4, conv.Model!.Layers!.Count);
        Assert.Null(conv.Model.Hidden);
        Assert.Equal(mlp.Seed, conv.Seed);

        // One split and one batch stream: the same rows in every split, the same batch-order state at step 0.
        var (a, b) = (TrainingSession.Create(mlp, factory.DataDirectory), TrainingSession.Create(conv, factory.DataDirectory));
        Assert.Equal(a.Train.X, b.Train.X);
        Assert.Equal(a.Train.Targets, b.Train.Targets);
        Assert.Equal(a.Test.X, b.Test.X);
        Assert.Equal(a.CreateCheckpoint().RngState, b.CreateCheckpoint().RngState);
        Assert.NotEqual(a.Network.ParameterCount, b.Network.ParameterCount);

        foreach (var r in race.Runs) Assert.Equal("succeeded", (await client.WaitAsync(r.Id, timeoutSeconds: 120)).Status);
        var fetched = (await client.GetFromJsonAsync<RaceDto>($"/api/races/{race.Id}", Api.Json))!;
        Assert.Equal(race.Runs.Select(r => r.Id), fetched.Runs.Select(r => r.Id));
        // Both models judged on the same test rows: the same count per true class.
        var testClasses = a.Test.Labels!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => (long)g.Count()).ToArray();
        foreach (var r in fetched.Runs)
        {
            var d = (await client.GetFromJsonAsync<Runs.DiagnosticsDto>($"/api/runs/{r.Id}/diagnostics", Api.Json))!;
            Assert.Equal(a.Test.Count, d.TestCount);
            Assert.Equal(testClasses, d.Matrix.Select(row => row.Sum()));
        }
    }

    [Fact]
    public async Task ABadRaceNamesEveryFieldWhereItWasWritten()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/races", new
        {
            @base = new { model = new { hidden = new[] { 0 } }, epochs = 2 },
            variants = new object[]
            {
                new { optimizer = new { type = "sgd" } },
                new { optimizer = new { type = "adam" } },
                new { optimizer = new { type = "adam", learningRate = -1 } },
                new { label = "" , optimizer = new { type = "genetic", populationSize = 1 } },
            },
        }, Api.Json);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("variants[2].optimizer.learningRate", problem.Errors.Keys);
        Assert.Contains("variants[3].optimizer.populationSize", problem.Errors.Keys);
        Assert.Contains("variants[3].label", problem.Errors.Keys);
        Assert.Contains("base.model.hidden[0]", problem.Errors.Keys);
        Assert.Single(problem.Errors["base.model.hidden[0]"]); // reported once, not once per variant
        Assert.DoesNotContain("variants[0].optimizer.learningRate", problem.Errors.Keys);

        var typo = await client.PostJsonAsync("/api/races", """{"base":{"modle":{}},"variants":[{"optimizer":{"type":"sgd"}}]}""");
        Assert.Contains("base.modle", (await typo.ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        var none = await client.PostJsonAsync("/api/races", """{"base":{},"variants":[]}""");
        Assert.Contains("variants", (await none.ProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Empty((await client.GetFromJsonAsync<Contracts.RunPage>("/api/runs", Api.Json))!.Items);
        await (await client.GetAsync("/api/races/99")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
