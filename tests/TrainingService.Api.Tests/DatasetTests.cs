using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using TrainingService.Api.Datasets;

namespace TrainingService.Api.Tests;

public sealed class DatasetTests
{
    private static string BlobsCsv(int rows, bool labelFirst = false)
    {
        var sb = new StringBuilder(labelFirst ? "label,x,y\n" : "x,y,label\n");
        for (int i = 0; i < rows; i++)
        {
            string label = i % 2 == 0 ? "red" : "blue";
            string x = ((i % 2 == 0 ? 1.0 : -1.0) + (i % 7) * 0.05).ToString(CultureInfo.InvariantCulture);
            string y = ((i % 5) * 0.1).ToString(CultureInfo.InvariantCulture);
            sb.Append(labelFirst ? $"{label},{x},{y}\n" : $"{x},{y},{label}\n");
        }
        return sb.ToString();
    }

    private static MultipartFormDataContent Form(string csv, string? name = null, string? target = null, string fileName = "points.csv")
    {
        var form = new MultipartFormDataContent { { new StringContent(csv), "file", fileName } };
        if (name is not null) form.Add(new StringContent(name), "name");
        if (target is not null) form.Add(new StringContent(target), "target");
        return form;
    }

    [Fact]
    public async Task ListShowsTheBuiltInGeneratorsWithTheirDefaults()
    {
        await using var factory = new ServiceFactory();
        var datasets = await factory.CreateClient().GetFromJsonAsync<List<DatasetDto>>("/api/datasets", Api.Json);
        var spiral = Assert.Single(datasets!, d => d.Id == "spiral");
        Assert.Equal(("synthetic", "classification", 3, false), (spiral.Kind, spiral.Task, spiral.Classes, spiral.Regression));
        Assert.NotNull(spiral.DefaultSamples);
        Assert.True(Assert.Single(datasets!, d => d.Id == "linear").Regression);
    }

    [Fact]
    public async Task AnUploadNamedLikeASurfaceIsUsableAsNameDotCsvAndTheNameStillMeansTheSurface()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/datasets", Form(BlobsCsv(40), name: "rosenbrock"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal(("rosenbrock.csv", "upload", 40), (dataset.Id, dataset.Kind, dataset.Rows));
        Assert.Equal("/api/datasets/rosenbrock.csv", response.Headers.Location!.OriginalString);
        var listed = await client.GetFromJsonAsync<List<DatasetDto>>("/api/datasets", Api.Json) ?? [];
        Assert.Single(listed, d => d.Id == "rosenbrock" && d.Kind == "surface");
        Assert.Single(listed, d => d.Id == "rosenbrock.csv" && d.Kind == "upload");
        Assert.Equal("upload", (await client.GetFromJsonAsync<DatasetDto>("/api/datasets/rosenbrock.csv", Api.Json))!.Kind);

        var onUpload = await client.SubmitAsync(new { dataset = new { name = "rosenbrock.csv" }, model = new { hidden = new[] { 4 } }, epochs = 2, seed = 2 });
        var done = await client.WaitAsync(onUpload.Id);
        Assert.Equal("succeeded", done.Status);
        Assert.Equal("rosenbrock.csv", done.Spec.Dataset!.Name);
        Assert.NotNull(done.Summary!.TestAccuracy); // the blobs' labels: a classification dataset, not f(w, b)

        var onSurface = await client.SubmitAsync(new { dataset = new { name = "rosenbrock" }, model = new { hidden = Array.Empty<int>() }, epochs = 5, seed = 2 });
        Assert.Equal("succeeded", (await client.WaitAsync(onSurface.Id)).Status);
        var steps = (await client.GetMetricsAsync(onSurface.Id)).Steps;
        Assert.Equal(5, steps.Count); // one evaluation of f per epoch
        Assert.All(steps, s => Assert.Equal(2, s.Point!.Length));
    }

    [Fact]
    public async Task UploadedCsvIsValidatedStoredListedAndTrainable()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/datasets", Form(BlobsCsv(60), name: "my-points"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal(("my-points", "my-points", "upload", 60, 2, 2, false), (dataset.Id, dataset.Name, dataset.Kind, dataset.Rows, dataset.Features, dataset.Classes, dataset.Regression));
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "uploads", "my-points.csv")));
        Assert.Contains(await client.GetFromJsonAsync<List<DatasetDto>>("/api/datasets", Api.Json) ?? [], d => d.Id == "my-points");

        var run = await client.SubmitAsync(new { dataset = new { name = "my-points" }, model = new { hidden = new[] { 4 } }, epochs = 3, seed = 2 });
        Assert.Equal("succeeded", (await client.WaitAsync(run.Id)).Status);

        await (await client.PostAsync("/api/datasets", Form(BlobsCsv(10), name: "my-points"))).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync("/api/datasets", Form(BlobsCsv(10), name: "spiral"))).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UploadNamedByItsFileAndTargetColumnIsMovedLast()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var response = await client.PostAsync("/api/datasets", Form(BlobsCsv(40, labelFirst: true), target: "label", fileName: "first_col.csv"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>(Api.Json))!;
        Assert.Equal(("first_col", 2, 2), (dataset.Name, dataset.Features, dataset.Classes));
        string stored = await File.ReadAllTextAsync(Path.Combine(factory.DataDirectory, "uploads", "first_col.csv"));
        Assert.StartsWith("x,y,label\n", stored);
    }

    [Fact]
    public async Task RaggedRowUploadIsA400NamingTheLine()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        string csv = "x,y,label\n1,2,a\n3,4,b\n5,6\n7,8,a\n";
        var problem = await (await client.PostAsync("/api/datasets", Form(csv, name: "ragged"))).ProblemAsync(HttpStatusCode.BadRequest);
        string message = Assert.Single(problem.Errors["file"]);
        Assert.Contains("line 4", message);
        Assert.Contains("2 fields, expected 3", message);
        await (await client.GetAsync("/api/datasets/ragged")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
