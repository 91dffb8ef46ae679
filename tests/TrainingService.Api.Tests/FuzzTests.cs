using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TrainingService.Api.Contracts;
using TrainingService.Data.Entities;
using Xunit.Abstractions;

namespace TrainingService.Api.Tests;

/// <summary>
/// Seeded random mutations of valid specs and CSV uploads (see <see cref="Fuzz"/>): every answer is 2xx or 4xx
/// problem+json, never 5xx; what is accepted is well-formed and the service stays healthy; a sample of the accepted
/// specs trains (or fails or diverges with a reason) when a worker picks them up. A failure names the seed and case.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int SpecCases = 800;
    private const int UploadCases = 500;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Training:RateLimitPermits"] = "0", ["Training:MaxQueuedRunsPerClient"] = "100000", ["Training:MaxQueuedRuns"] = "100000",
        ["Training:MaxUploadBytes"] = "200000",
    };

    [Fact]
    public async Task MutatedCsvUploadsGetOnly2xxOr4xxAndAcceptedFilesStayInUploads()
    {
        await using var factory = new ServiceFactory(settings: new(Settings) { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var fuzz = new Fuzz(Seed);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var accepted = new List<string>();
        for (int i = 0; i < UploadCases; i++)
        {
            var (file, fileName, name, target) = fuzz.Csv(i);
            using var form = new MultipartFormDataContent();
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            // By hand: MultipartFormDataContent refuses an empty file name, and the fuzzer wants to send one.
            string quoted = new(fileName.Where(c => c >= ' ' && c != '"').ToArray());
            content.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"{quoted}\"");
            form.Add(content);
            if (name is not null) form.Add(new StringContent(name), "name");
            if (target is not null) form.Add(new StringContent(target), "target");
            var response = await client.PostAsync("/api/datasets", form);
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            string body = await response.Content.ReadAsStringAsync();
            if (status is < 200 or >= 500 or (>= 300 and < 400))
                failures.Add($"case {i}: {status} {Excerpt(body)}");
            else if (status == 201)
            {
                var dto = JsonSerializer.Deserialize<JsonElement>(body);
                string id = dto.GetProperty("id").GetString()!;
                if (!DatasetName().IsMatch(id) || !File.Exists(Path.Combine(factory.DataDirectory, "uploads", id + ".csv")))
                    failures.Add($"case {i}: accepted as '{id}' but not stored as uploads/{id}.csv");
                accepted.Add(id);
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"case {i}: {status} without problem+json");
        }
        output.WriteLine($"seed {Seed}: {UploadCases} uploads, status counts: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

        // Nothing was written outside the data directory's own files and uploads/.
        var stray = Directory.EnumerateFileSystemEntries(factory.DataDirectory)
            .Select(Path.GetFileName).Where(f => f != "uploads" && !f!.StartsWith("training.db", StringComparison.Ordinal)).ToList();
        Assert.Empty(stray);
        Assert.True(failures.Count == 0, $"seed {Seed}: {failures.Count} bad answers, first: {string.Join("\n", failures.Take(10))}");
        Assert.True(accepted.Count > 20 && statuses.Keys.Any(s => s == 400), "the fuzzer should produce both accepted and refused uploads");
        await AssertHealthyAsync(client);
        var listed = await client.GetFromJsonAsync<List<JsonElement>>("/api/datasets", Api.Json);
        Assert.All(accepted, id => Assert.Contains(listed!, d => d.GetProperty("id").GetString() == id));
    }

    [Fact]
    public async Task MutatedSpecsGetOnly2xxOr4xxAndASampleOfTheAcceptedTrainsOrFailsCleanly()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            var accepted = new List<long>();
            await using (var factory = new ServiceFactory(dir, new(Settings) { ["Training:WorkerEnabled"] = "false" }))
            {
                var client = factory.CreateClient();
                using (var form = new MultipartFormDataContent { { new StringContent(Fuzz.ValidCsvs[0]), "file", "fuzzdata.csv" } })
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", form)).StatusCode);

                var fuzz = new Fuzz(Seed + 1);
                var failures = new List<string>();
                var statuses = new Dictionary<int, int>();
                for (int i = 0; i < SpecCases; i++)
                {
                    byte[] body = fuzz.Spec("fuzzdata");
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue(i % 10 == 9 ? "text/plain" : "application/json");
                    var response = await client.PostAsync("/api/runs", content);
                    int status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    string text = await response.Content.ReadAsStringAsync();
                    if (status is < 200 or >= 500 or (>= 300 and < 400)) failures.Add($"case {i}: {status} {Excerpt(text)} for {Excerpt(System.Text.Encoding.UTF8.GetString(body))}");
                    else if (status == 201)
                    {
                        var run = JsonSerializer.Deserialize<RunDto>(text, Api.Json)!;
                        if (run.Id < 1 || run.Status != "queued" || run.Spec is null || response.Headers.Location?.ToString() != $"/api/runs/{run.Id}" || run.Progress.TotalSteps < 1)
                            failures.Add($"case {i}: a malformed 201: {Excerpt(text)}");
                        accepted.Add(run.Id);
                    }
                    else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"case {i}: {status} without problem+json: {Excerpt(text)}");
                }
                output.WriteLine($"seed {Seed + 1}: {SpecCases} specs, status counts: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
                Assert.True(failures.Count == 0, $"seed {Seed + 1}: {failures.Count} bad answers, first: {string.Join("\n", failures.Take(10))}");
                Assert.True(accepted.Count > 50 && statuses.ContainsKey(400), "the fuzzer should produce both accepted and refused specs");
                await AssertHealthyAsync(client);
                var page = await client.GetFromJsonAsync<RunPage>("/api/runs?pageSize=200", Api.Json);
                Assert.Equal(accepted.Count, page!.Total);
            }

            // A sample of the accepted runs that are cheap to train; the rest are cancelled before a worker starts.
            List<long> sample;
            await using (var db = Database.Open(dir))
            {
                var runs = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued).ToListAsync();
                sample = runs.Where(r => Cheap(r)).Select(r => r.Id).Take(25).ToList();
                await db.Runs.Where(r => r.Status == RunStatus.Queued && !sample.Contains(r.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled));
            }
            output.WriteLine($"training {sample.Count} of {accepted.Count} accepted specs");
            Assert.True(sample.Count >= 10, $"only {sample.Count} cheap accepted specs");
            await using (var factory = new ServiceFactory(dir, new(Settings)))
            {
                var client = factory.CreateClient();
                foreach (long id in sample)
                {
                    var run = await client.WaitAsync(id, r => r.Status is "succeeded" or "failed" or "diverged", timeoutSeconds: 120);
                    if (run.Status == "succeeded") Assert.NotNull(run.Summary);
                    else Assert.False(string.IsNullOrWhiteSpace(run.Error), $"run {id} {run.Status} without a reason");
                }
                await AssertHealthyAsync(client);
            }
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    /// <summary>Small enough to train in a moment: few steps, a small net, few samples, no numerical gradients.</summary>
    private static bool Cheap(Run run)
    {
        using var spec = JsonDocument.Parse(run.SpecJson);
        var root = spec.RootElement;
        int width = root.GetProperty("model").GetProperty("hidden").EnumerateArray().Sum(h => h.GetInt32());
        int samples = root.GetProperty("dataset").TryGetProperty("samples", out var s) ? s.GetInt32() : 0;
        bool numerical = root.TryGetProperty("gradient", out var g) && g.GetString() == "numerical";
        return run.TotalSteps <= 3000 && width <= 64 && samples <= 2000 && (!numerical || run.TotalSteps <= 100);
    }

    private static async Task AssertHealthyAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/datasets")).StatusCode);
    }

    private static string Excerpt(string s) => s.Length <= 300 ? s : s[..300] + "…";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DatasetName();
}
