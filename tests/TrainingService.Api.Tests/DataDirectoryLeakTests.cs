using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;

namespace TrainingService.Api.Tests;

/// <summary>Errors name files by their path in the data directory (<c>uploads/pts.csv</c>), never the absolute one:
/// that says how the host is laid out to anyone who can submit a run.</summary>
public sealed class DataDirectoryLeakTests
{
    [Fact]
    public async Task ErrorsAboutABrokenDatasetShowPathsRelativeToTheDataDirectory()
    {
        string dir = ServiceFactory.NewDataDirectory();
        var seen = new List<string>();
        try
        {
            long runId;
            await using (var factory = new ServiceFactory(dir, new() { ["Training:WorkerEnabled"] = "false" }))
            {
                var client = factory.CreateClient();
                using (var form = new MultipartFormDataContent { { new StringContent("x,y,label\n1,2,a\n3,4,b\n5,6,a\n"), "file", "pts.csv" } })
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", form)).StatusCode);
                runId = (await client.SubmitAsync(new { dataset = new { name = "pts" }, model = new { hidden = new[] { 4 } }, epochs = 2, seed = 1 })).Id;

                // The upload breaks after the run was queued (edited by hand in the database and its cached file).
                string file = Path.Combine(dir, "uploads", "pts.csv");
                await File.AppendAllTextAsync(file, "7,oops,b\n");
                byte[] broken = await File.ReadAllBytesAsync(file);
                await using (var db = Database.Open(dir)) await db.Uploads.Where(u => u.Name == "pts").ExecuteUpdateAsync(u => u.SetProperty(x => x.Content, broken));

                string listed = await client.GetStringAsync("/api/datasets/pts");
                Assert.Contains("unreadable: uploads/pts.csv: line 5, column 'y' (2): 'oops' is not a number", listed);
                seen.Add(listed);

                var submit = await (await client.PostAsJsonAsync("/api/runs", new { dataset = new { name = "pts" } }, Api.Json)).ProblemAsync(HttpStatusCode.BadRequest);
                Assert.StartsWith("uploads/pts.csv: line 5", Assert.Single(submit.Errors["dataset.name"]));
                seen.Add(string.Join(" ", submit.Errors["dataset.name"]));

                var unknown = await (await client.PostAsJsonAsync("/api/runs", new { dataset = new { name = "nothing" } }, Api.Json)).ProblemAsync(HttpStatusCode.BadRequest);
                seen.Add(string.Join(" ", unknown.Errors["dataset.name"]));

                var boundary = await (await client.GetAsync($"/api/runs/{runId}/boundary")).ProblemAsync(HttpStatusCode.Conflict);
                Assert.Contains("uploads/pts.csv: line 5", boundary.Detail);
                seen.Add(boundary.Detail!);
            }

            // A worker starting the run finds the file broken: the run's error names it the same way.
            await using (var factory = new ServiceFactory(dir))
            {
                var run = await factory.CreateClient().WaitAsync(runId, r => r.Status is "failed");
                Assert.Contains("uploads/pts.csv: line 5", run.Error);
                seen.Add(run.Error!);
            }
            Assert.All(seen, text => Assert.DoesNotContain(dir, text));
            Assert.All(seen, text => Assert.DoesNotContain(Path.GetFileName(dir), text));
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
