using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

/// <summary>HTTP helpers shared by the tests: submit, poll, read problems.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A small, quick spec: spiral with 150 samples, a 16-unit net, 4 epochs.</summary>
    public static Dictionary<string, object?> SmallSpec(long seed = 1, int epochs = 4, string? name = null, string[]? tags = null) => new()
    {
        ["name"] = name,
        ["tags"] = tags,
        ["dataset"] = new { name = "spiral", samples = 150 },
        ["model"] = new { hidden = new[] { 16 } },
        ["optimizer"] = new { type = "adam", learningRate = 0.02 },
        ["batchSize"] = 16,
        ["epochs"] = epochs,
        ["seed"] = seed,
    };

    /// <summary>A run that takes many seconds: used to cancel, delete or interrupt it mid-way.</summary>
    public static object SlowSpec(int epochs = 200) => new
    {
        dataset = new { name = "spiral", samples = 20_000 },
        model = new { hidden = new[] { 128, 128 } },
        batchSize = 16,
        epochs,
        seed = 3,
    };

    public static async Task<RunDto> SubmitAsync(this HttpClient client, object spec)
    {
        var response = await client.PostAsJsonAsync("/api/runs", spec, Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json))!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<RunDto> GetRunAsync(this HttpClient client, long id) =>
        (await client.GetFromJsonAsync<RunDto>($"/api/runs/{id}", Json))!;

    public static async Task<RunMetrics> GetMetricsAsync(this HttpClient client, long id, string query = "") =>
        (await client.GetFromJsonAsync<RunMetrics>($"/api/runs/{id}/metrics{query}", Json))!;

    /// <summary>Polls the run until <paramref name="until"/> holds (default: finished).</summary>
    public static async Task<RunDto> WaitAsync(this HttpClient client, long id, Func<RunDto, bool>? until = null, int timeoutSeconds = 60)
    {
        until ??= r => r.Status is "succeeded" or "failed" or "cancelled" or "diverged" && r.Summary is not null;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await client.GetRunAsync(id);
            if (until(run)) return run;
            if (clock.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
                Assert.Fail($"run {id} still {run.Status} at step {run.Progress.Step}/{run.Progress.TotalSteps} after {timeoutSeconds}s");
            await Task.Delay(25);
        }
    }

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and returns it.</summary>
    public static async Task<HttpValidationProblemDetails> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json)!;
    }
}
