using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrainingService.Api.Datasets;

namespace TrainingService.Api.Tests;

/// <summary>What the datasets page reads and does: built-ins with their shapes, the detail (class balance and a
/// sample), replacing and deleting uploads, and the refusals (built-ins, uploads in use).</summary>
public sealed class DatasetPageTests
{
    private static string Blobs(int rows, string first = "red", string second = "blue")
    {
        var sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{(i % 2 == 0 ? 1 : -1) + (i % 7) * 0.05},{(i % 5) * 0.1},{(i % 2 == 0 ? first : second)}\n");
        return sb.ToString();
    }

    private static MultipartFormDataContent Form(string csv, string? name = null, string? target = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(csv), "file", "data.csv" } };
        if (name is not null) form.Add(new StringContent(name), "name");
        if (target is not null) form.Add(new StringContent(target), "target");
        return form;
    }

    private static async Task<JsonElement> DetailAsync(HttpClient client, string name) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{name}", Api.Json);

    [Fact]
    public async Task BuiltInsAreListedWithTheirShapeWithoutADataDirectoryFile()
    {
        await using var factory = new ServiceFactory();
        var list = (await factory.CreateClient().GetFromJsonAsync<List<DatasetDto>>("/api/datasets", Api.Json))!;
        var digits = Assert.Single(list, d => d.Id == "digits");
        Assert.Equal(("builtin", 1797, 10, 64), (digits.Kind, digits.Rows, digits.Classes, digits.Features));
        Assert.Equal([1, 8, 8], digits.Shape!);
        Assert.Equal([1, 28, 28], Assert.Single(list, d => d.Id == "mnist").Shape!);
        Assert.Equal([4], Assert.Single(list, d => d.Id == "iris").Shape!);
        Assert.Equal([30], Assert.Single(list, d => d.Id == "breast_cancer").Shape!);
        Assert.Equal(178, Assert.Single(list, d => d.Id == "wine").Rows);
        Assert.Equal([2], Assert.Single(list, d => d.Id == "moons").Shape!);
    }

    [Fact]
    public async Task DetailGivesClassBalanceAndASampleSuitedToTheData()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        var digits = await DetailAsync(client, "digits");
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.GetProperty("classCounts").EnumerateArray().Select(c => c.GetInt32()));
        var images = digits.GetProperty("sample").GetProperty("images");
        Assert.Equal([1, 8, 8], images.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(30, images.GetProperty("pixels").GetArrayLength()); // 3 of each of the 10 classes
        Assert.All(images.GetProperty("pixels").EnumerateArray(), p => Assert.Equal(64, p.GetArrayLength()));
        Assert.Equal(["0", "0", "0", "1"], images.GetProperty("labels").EnumerateArray().Take(4).Select(l => l.GetString()));
        Assert.Equal(JsonValueKind.Null, digits.GetProperty("sample").GetProperty("table").ValueKind);

        var iris = await DetailAsync(client, "iris");
        Assert.Equal([50, 50, 50], iris.GetProperty("classCounts").EnumerateArray().Select(c => c.GetInt32()));
        var table = iris.GetProperty("sample").GetProperty("table");
        Assert.Equal("sepal_length", table.GetProperty("columns")[0].GetString());
        Assert.Equal(10, table.GetProperty("rows").GetArrayLength());
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], table.GetProperty("rows")[0].EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal("setosa", table.GetProperty("targets")[0].GetString());

        var moons = await DetailAsync(client, "moons");
        var points = moons.GetProperty("sample").GetProperty("points");
        int n = moons.GetProperty("rows").GetInt32();
        Assert.Equal(Math.Min(n, 1000), points.GetProperty("x").GetArrayLength());
        Assert.Equal(n, moons.GetProperty("classCounts").EnumerateArray().Sum(c => c.GetInt32()));
        Assert.All(points.GetProperty("classes").EnumerateArray(), c => Assert.InRange(c.GetInt32(), 0, 1));

        var surface = await DetailAsync(client, "rosenbrock");
        Assert.Equal(JsonValueKind.Null, surface.GetProperty("sample").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/datasets/nope")).StatusCode);
    }

    [Fact]
    public async Task AnUploadIsReplacedAndDeletedAndItsDetailFollows()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Blobs(40), name: "pts"))).StatusCode);
        Assert.Equal([20, 20], (await DetailAsync(client, "pts")).GetProperty("classCounts").EnumerateArray().Select(c => c.GetInt32()));

        // The replacement names its target first: moved last, as on upload.
        string labelFirst = "label,x,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{(i < 10 ? "a" : "b")},{i},{i * 2}\n"));
        var replaced = await client.PutAsync("/api/datasets/pts", Form(labelFirst, target: "label"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var dto = (await replaced.Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal(("pts", "upload", 30), (dto.Id, dto.Kind, dto.Rows));
        var detail = await DetailAsync(client, "pts");
        Assert.Equal([10, 20], detail.GetProperty("classCounts").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(["a", "b"], detail.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));

        // A bad replacement leaves the old file.
        var bad = await (await client.PutAsync("/api/datasets/pts", Form("x,label\n1,a\noops,b\n"))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 3", Assert.Single(bad.Errors["file"]));
        Assert.Equal(30, (await DetailAsync(client, "pts")).GetProperty("rows").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/datasets/pts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/datasets/pts")).StatusCode);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "uploads", "pts.csv")));
        await (await client.DeleteAsync("/api/datasets/pts")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutAsync("/api/datasets/pts", Form(Blobs(10)))).ProblemAsync(HttpStatusCode.NotFound);
        // The name is free again.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Blobs(12), name: "pts"))).StatusCode);
        Assert.Equal(12, (await DetailAsync(client, "pts")).GetProperty("rows").GetInt32());
    }

    [Theory]
    [InlineData("digits", "built-in dataset (builtin)")]
    [InlineData("mnist", "built-in dataset (builtin)")]
    [InlineData("spiral", "built-in dataset (synthetic)")]
    [InlineData("rosenbrock", "built-in dataset (surface)")]
    [InlineData("mine", "a file in the data directory, not an upload")]
    public async Task OnlyUploadsCanBeDeletedOrReplaced(string name, string reason)
    {
        await using var factory = new ServiceFactory();
        File.WriteAllText(Path.Combine(factory.DataDirectory, "mine.csv"), Blobs(10));
        var client = factory.CreateClient();
        var deleted = await (await client.DeleteAsync($"/api/datasets/{name}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, Assert.Single(deleted.Errors["name"]));
        var replaced = await (await client.PutAsync($"/api/datasets/{name}", Form(Blobs(10)))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, Assert.Single(replaced.Errors["name"]));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/datasets/{name}")).StatusCode);
    }

    [Fact]
    public async Task AnUploadInUseByAQueuedRunIsRefusedWithTheRunIds()
    {
        // No worker: submitted runs stay queued for as long as the test needs, whatever the machine's speed.
        await using var factory = new ServiceFactory(settings: new() { ["Training:Role"] = "api" });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Blobs(40), name: "busy"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Blobs(40), name: "idle"))).StatusCode);
        var a = await client.SubmitAsync(new { dataset = new { name = "busy" }, model = new { hidden = new[] { 4 } }, epochs = 2, seed = 1 });
        var b = await client.SubmitAsync(new { dataset = new { name = "busy.csv" }, model = new { hidden = new[] { 4 } }, epochs = 2, seed = 1 });
        await client.SubmitAsync(new { dataset = new { name = "spiral" }, model = new { hidden = new[] { 4 } }, epochs = 2, seed = 1 });

        foreach (var response in new[] { await client.DeleteAsync("/api/datasets/busy"), await client.PutAsync("/api/datasets/busy", Form(Blobs(8))) })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Api.Json);
            Assert.Equal([a.Id, b.Id], problem.GetProperty("runIds").EnumerateArray().Select(i => i.GetInt64()));
            Assert.Contains($"runs {a.Id}, {b.Id}", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(40, (await DetailAsync(client, "busy")).GetProperty("rows").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/datasets/idle")).StatusCode);

        // Once the runs are gone from the queue the upload can go.
        foreach (long id in new[] { a.Id, b.Id })
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/datasets/busy")).StatusCode);
    }

    [Fact]
    public async Task AFinishedRunKeepsItsPageMetricsAndPredictionsAfterItsDatasetIsDeleted()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(Blobs(40), name: "gone"))).StatusCode);
        var run = await client.SubmitAsync(new { dataset = new { name = "gone" }, model = new { hidden = new[] { 4 } }, epochs = 3, seed = 1 });
        Assert.Equal("succeeded", (await client.WaitAsync(run.Id)).Status);
        var before = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = new[] { new[] { 1f, 0.2f } } });
        string predicted = await before.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/datasets/gone")).StatusCode);

        var after = await client.GetRunAsync(run.Id);
        Assert.Equal(("succeeded", "gone"), (after.Status, after.Spec.Dataset!.Name));
        Assert.Equal(3, (await client.GetMetricsAsync(run.Id)).Epochs.Count);
        var again = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = new[] { new[] { 1f, 0.2f } } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(predicted, await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}/metrics.csv")).StatusCode);
    }
}
