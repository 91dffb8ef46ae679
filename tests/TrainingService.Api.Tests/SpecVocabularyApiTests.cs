using System.Net;
using System.Text.Json;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Tests;

/// <summary><c>GET /api/spec</c> is the engine's registry; Swagger's enums are its lists; a field the chosen optimizer
/// does not take is a 400 naming it, and a run's filled-in spec shows only the fields it uses.</summary>
public sealed class SpecVocabularyApiTests : IAsyncLifetime
{
    private readonly ServiceFactory _factory = new(settings: new() { ["Training:ApiKey"] = "secret-key", ["Training:WorkerEnabled"] = "false" });
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", "secret-key");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static string[] Names(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];

    [Fact]
    public async Task SpecListsTheRegistryWithFieldsDefaultsAndRangesToAnonymousReaders()
    {
        using var anonymous = _factory.CreateClient(); // no key: reads are open, like every other GET
        var response = await anonymous.GetAsync("/api/spec");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(SpecVocabulary.Optimizers.Select(o => o.Name), Names(doc.GetProperty("optimizers")));
        Assert.Equal(SpecVocabulary.Schedules.Select(o => o.Name), Names(doc.GetProperty("schedules")));
        Assert.Equal(SpecVocabulary.Activations.Select(o => o.Name), Names(doc.GetProperty("activations")));
        Assert.Equal(SpecVocabulary.Losses.Select(o => o.Name), Names(doc.GetProperty("losses")));
        Assert.Equal(SpecVocabulary.Inits.Select(o => o.Name), Names(doc.GetProperty("inits")));
        Assert.Equal(["backprop", "numerical"], Names(doc.GetProperty("gradients")));
        Assert.Equal(SpecVocabulary.Layers.Select(o => o.Name), Names(doc.GetProperty("layers")));
        Assert.Contains("conv2d", Names(doc.GetProperty("layers")));
        Assert.Contains("spiral", Names(doc.GetProperty("datasets")));
        Assert.Contains("rosenbrock", Names(doc.GetProperty("datasets")));

        var adam = doc.GetProperty("optimizers").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "adam");
        Assert.Equal("gradient", adam.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(adam.GetProperty("description").GetString()));
        var beta2 = adam.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "beta2");
        Assert.Equal(0.999, beta2.GetProperty("default").GetDouble());
        Assert.Equal("number", beta2.GetProperty("type").GetString());
        Assert.Equal(0, beta2.GetProperty("min").GetDouble());
        Assert.Equal(1, beta2.GetProperty("max").GetDouble());
        Assert.True(beta2.GetProperty("maxExclusive").GetBoolean());

        var sgd = doc.GetProperty("optimizers").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "sgd");
        Assert.Equal(["learningRate", "momentum", "nesterov", "weightDecay", "clipNorm"], Names(sgd.GetProperty("fields")));
        var genetic = doc.GetProperty("optimizers").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "genetic");
        Assert.Equal("gradient-free", genetic.GetProperty("kind").GetString());
        var batch = doc.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "batchSize");
        Assert.Equal(SpecDefaults.BatchSize, batch.GetProperty("default").GetInt32());
    }

    [Fact]
    public async Task SwaggerEnumsForTheSpecsClosedFieldsAreTheRegistrysLists()
    {
        var doc = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        string[] Enum(string schema, string property) =>
            [.. schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

        Assert.Equal(SpecVocabulary.Optimizers.Select(o => o.Name), Enum("Engine.Training.OptimizerSpec", "type"));
        Assert.Equal(SpecVocabulary.Schedules.Select(o => o.Name), Enum("Engine.Training.ScheduleSpec", "type"));
        Assert.Equal(SpecVocabulary.RunField("model.activation").Values, Enum("Engine.Training.ModelSpec", "activation"));
        Assert.Equal(SpecVocabulary.Activations.Select(o => o.Name), Enum("Engine.Training.ModelSpec", "outputActivation"));
        Assert.Equal(SpecVocabulary.Inits.Select(o => o.Name), Enum("Engine.Training.ModelSpec", "init"));
        Assert.Equal(SpecVocabulary.Losses.Select(o => o.Name), Enum("Engine.Training.RunSpec", "loss"));
        Assert.Equal(SpecVocabulary.Gradients.Select(o => o.Name), Enum("Engine.Training.RunSpec", "gradient"));
        Assert.Equal(["init", "local"], Enum("Engine.Training.OptimizerSpec", "sampling"));
        Assert.Equal(SpecVocabulary.Layers.Select(l => l.Name), Enum("Engine.Layers.LayerSpec", "type"));
    }

    [Theory]
    [InlineData("""{"type":"adagrad","alpha":0.9}""", "optimizer.alpha", "not used by adagrad; adagrad takes learningRate, epsilon, weightDecay, clipNorm, schedule")]
    [InlineData("""{"type":"sgd","beta1":0.9}""", "optimizer.beta1", "not used by sgd; sgd takes learningRate, momentum, nesterov, weightDecay, clipNorm, schedule")]
    [InlineData("""{"type":"rmsprop","momentum":0.9}""", "optimizer.momentum", "not used by rmsprop;")]
    [InlineData("""{"type":"hill_climbing","learningRate":0.1}""", "optimizer.learningRate", "not used by hill_climbing; hill_climbing takes stepSize")]
    [InlineData("""{"type":"sgd","nesterov":true}""", "optimizer.nesterov", "needs momentum > 0")]
    public async Task AFieldTheOptimizerDoesNotTakeIsA400NamingIt(string optimizer, string path, string message)
    {
        var response = await _client.PostJsonAsync("/api/runs", $$"""{"optimizer":{{optimizer}},"epochs":1}""");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith(message, Assert.Single(Assert.Single(problem.Errors, e => e.Key == path).Value));
    }

    [Fact]
    public async Task TheFilledInSpecCarriesOnlyTheFieldsItsOptimizerTakes()
    {
        var response = await _client.PostJsonAsync("/api/runs", """{"optimizer":{"type":"sgd","momentum":0.9},"epochs":1}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var optimizer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("spec").GetProperty("optimizer");
        Assert.Equal(["type", "learningRate", "momentum", "nesterov", "weightDecay", "clipNorm", "schedule"],
            optimizer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.9, optimizer.GetProperty("momentum").GetDouble());
        Assert.Equal(["type"], optimizer.GetProperty("schedule").EnumerateObject().Select(p => p.Name));
    }
}
