using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SixLabors.ImageSharp.PixelFormats;
using static TrainingService.Api.Tests.ImageZip;

namespace TrainingService.Api.Tests;

/// <summary>Training on an uploaded image set, on this instance or another sharing the database, and predicting
/// with image files.</summary>
public sealed class ImageTrainingTests
{
    private static object Spec(string dataset) => new
    {
        dataset = new { name = dataset },
        model = new { hidden = new[] { 8 } },
        optimizer = new { type = "adam", learningRate = 0.05 },
        batchSize = 8,
        epochs = 3,
        seed = 4,
    };

    [Fact]
    public async Task ARunTrainsOnAnUploadedImageSetAndAnImageFilePredictsAsItsPixelsSentAsARow()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:RateLimitPermits"] = "0" });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(BrightAndDark(), "shades", width: 8, height: 8, channels: 3))).StatusCode);
        var run = await client.SubmitAsync(Spec("shades"));
        var done = await client.WaitAsync(run.Id);
        Assert.True(done.Status == "succeeded", done.Error);

        // An 8×8 image needs no resizing: its pixels are known exactly.
        Rgb24 left = new(30, 200, 90), right = new(250, 10, 120);
        byte[] png = Solid("png", 8, 8, left, right);
        var row = new float[3 * 64];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                {
                    var p = x >= 4 ? right : left;
                    row[c * 64 + y * 8 + x] = (c == 0 ? p.R : c == 1 ? p.G : p.B) / 255f;
                }
        var rowResponse = await client.PostAsJsonAsync($"/api/runs/{run.Id}/predict", new { rows = new[] { row } });
        Assert.True(rowResponse.StatusCode == HttpStatusCode.OK, await rowResponse.Content.ReadAsStringAsync());
        var fromRow = (await rowResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0];

        var files = new MultipartFormDataContent
        {
            { new ByteArrayContent(png), "files", "exact.png" },
            { new ByteArrayContent(Solid("jpg", 40, 30, new Rgb24(240, 240, 230))), "files", "bright.jpg" },
        };
        var response = await client.PostAsync($"/api/runs/{run.Id}/predict", files);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["bright", "dark"], body.GetProperty("classNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([3, 8, 8], body.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var fromFile = body.GetProperty("predictions")[0];
        Assert.Equal("exact.png", fromFile.GetProperty("file").GetString());
        Assert.Equal(fromRow.GetProperty("output").EnumerateArray().Select(e => e.GetSingle()),
            fromFile.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal(fromRow.GetProperty("label").GetString(), fromFile.GetProperty("label").GetString());
        Assert.Equal("bright", body.GetProperty("predictions")[1].GetProperty("label").GetString());

        var refused = new MultipartFormDataContent { { new ByteArrayContent("text"u8.ToArray()), "files", "notes.txt" } };
        var problem = await (await client.PostAsync($"/api/runs/{run.Id}/predict", refused)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'notes.txt' is not an image", Assert.Single(problem.Errors["files[0]"]));
    }

    [Fact]
    public async Task ImagesSentToATableModelAreRefused()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var run = await client.SubmitAsync(Api.SmallSpec(epochs: 1));
        Assert.Equal("succeeded", (await client.WaitAsync(run.Id)).Status);
        var files = new MultipartFormDataContent { { new ByteArrayContent(Solid("png", 4, 4, new Rgb24(1, 2, 3))), "files", "a.png" } };
        var problem = await (await client.PostAsync($"/api/runs/{run.Id}/predict", files)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not on images; send feature rows as JSON", Assert.Single(problem.Errors["files"]));
    }

    [Fact]
    public async Task AnotherInstanceOnTheSameDatabaseTrainsOnAnUploadItsDiskHasNeverSeen()
    {
        // The instance that takes the upload trains nothing; the worker has a data directory of its own.
        await using var api = new ServiceFactory(settings: new() { ["Training:Role"] = "api" });
        string connection = $"Data Source={Path.Combine(api.DataDirectory, "training.db")}";
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", Form(BrightAndDark(6), "shared", width: 6, height: 6))).StatusCode);
        var csv = new MultipartFormDataContent { { new StringContent("x,label\n1,a\n2,b\n3,a\n4,b\n"), "file", "table.csv" } };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/datasets", csv)).StatusCode);
        var run = await client.SubmitAsync(Spec("shared"));

        await using var worker = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = connection, ["Training:Role"] = "worker" });
        _ = worker.CreateClient(); // starts it
        var done = await client.WaitAsync(run.Id);
        Assert.True(done.Status == "succeeded", done.Error);
        Assert.True(File.Exists(Path.Combine(worker.DataDirectory, "uploads", "shared.images")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(api.DataDirectory, "uploads", "shared.images")),
            File.ReadAllBytes(Path.Combine(worker.DataDirectory, "uploads", "shared.images")));

        // A third instance (a fresh data directory) lists both uploads, CSV included, from the database.
        await using var third = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = connection, ["Training:WorkerEnabled"] = "false" });
        var names = (await third.CreateClient().GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Contains("shared", names);
        Assert.Contains("table", names);
    }

    /// <summary>The database is the truth and each disk a cache: a replace through one instance reaches a copy another
    /// instance cached earlier (the record's version is the cached file's write time), and a delete removes the upload
    /// for all of them.</summary>
    [Fact]
    public async Task AReplaceOrDeleteThroughOneInstanceReachesAnotherInstancesCachedCopy()
    {
        await using var one = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        string connection = $"Data Source={Path.Combine(one.DataDirectory, "training.db")}";
        await using var two = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = connection, ["Training:WorkerEnabled"] = "false" });
        var (a, b) = (one.CreateClient(), two.CreateClient());
        static MultipartFormDataContent Csv(int rows) => new()
        {
            { new StringContent("x,label\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{i},{(i % 2 == 0 ? "a" : "b")}\n"))), "file", "t.csv" },
            { new StringContent("t"), "name" },
        };
        static async Task<int> Rows(HttpClient c) => (await c.GetFromJsonAsync<JsonElement>("/api/datasets/t")).GetProperty("rows").GetInt32();

        Assert.Equal(HttpStatusCode.Created, (await a.PostAsync("/api/datasets", Csv(4))).StatusCode);
        Assert.Equal(4, await Rows(b)); // cached on the second instance's disk now
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsync("/api/datasets/t", Csv(6))).StatusCode);
        Assert.Equal(6, await Rows(a));
        Assert.Equal(6, await Rows(b));
        Assert.Equal(File.ReadAllBytes(Path.Combine(one.DataDirectory, "uploads", "t.csv")), File.ReadAllBytes(Path.Combine(two.DataDirectory, "uploads", "t.csv")));

        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync("/api/datasets/t")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("/api/datasets/t")).StatusCode);
        // The second instance's cached copy has no record any more: its next listing removes it.
        Assert.DoesNotContain((await b.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray(), d => d.GetProperty("id").GetString() == "t");
        Assert.False(File.Exists(Path.Combine(two.DataDirectory, "uploads", "t.csv")));
    }

    /// <summary>An upload made before uploads were stored in the database exists only on the disk that took it: at
    /// start-up it gets its record, so other instances see it and a listing never mistakes it for a deleted one.</summary>
    [Fact]
    public async Task AnUploadOnlyOnThisDiskIsStoredInTheDatabaseAtStartUp()
    {
        string dir = ServiceFactory.NewDataDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "uploads"));
        File.WriteAllText(Path.Combine(dir, "uploads", "old.csv"), "x,label\n1,a\n2,b\n3,a\n4,b\n");
        await using var one = new ServiceFactory(dir, new() { ["Training:WorkerEnabled"] = "false" });
        Assert.Contains((await one.CreateClient().GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray(), d => d.GetProperty("id").GetString() == "old");

        string connection = $"Data Source={Path.Combine(dir, "training.db")}";
        await using var two = new ServiceFactory(settings: new() { ["ConnectionStrings:Training"] = connection, ["Training:WorkerEnabled"] = "false" });
        Assert.Equal(4, (await two.CreateClient().GetFromJsonAsync<JsonElement>("/api/datasets/old")).GetProperty("rows").GetInt32());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "uploads", "old.csv")), File.ReadAllBytes(Path.Combine(two.DataDirectory, "uploads", "old.csv")));
    }
}
