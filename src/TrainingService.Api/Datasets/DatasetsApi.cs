using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Engine.Data;

namespace TrainingService.Api.Datasets;

/// <summary><c>/api/datasets</c>: what runs can train on, and CSV uploads (validated up front, stored in <c>uploads/</c>).</summary>
public static partial class DatasetsApi
{
    public static RouteGroupBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets").WithTags("Datasets").ProducesProblem(StatusCodes.Status500InternalServerError);
        datasets.MapGet("/", List).WithSummary("Built-in generators (with default samples and noise), mnist and CSV files in the data directory, uploads");
        datasets.MapGet("/{name}", Get).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One dataset by id (= name)");
        datasets.MapPost("/", UploadAsync)
            .Accepts<DatasetUploadForm>("multipart/form-data")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Upload a CSV (header row; target column by name, default the last); size-limited and validated with line-numbered errors");
        return datasets;
    }

    private static Ok<List<DatasetDto>> List(IOptions<TrainingOptions> options) =>
        TypedResults.Ok(Describe(options.Value.DataDirectory).ToList());

    private static Results<Ok<DatasetDto>, ProblemHttpResult> Get(string name, IOptions<TrainingOptions> options) =>
        Describe(options.Value.DataDirectory).FirstOrDefault(d => d.Name == name) is { } d
            ? TypedResults.Ok(d)
            : Problems.NotFound($"dataset '{name}' does not exist");

    private static async Task<Results<Created<DatasetDto>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        long limit = options.Value.MaxUploadBytes;
        string dataDir = options.Value.DataDirectory;
        if (!request.HasFormContentType)
            return Problems.Invalid("file", "send multipart/form-data with the CSV in a field named 'file'");
        if (request.ContentLength > limit + 64 * 1024)
            return Problems.Invalid("file", $"the upload is larger than the limit of {limit} bytes");
        // The configured limit, not the server's default (30 MB), bounds this request's body.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit + 64 * 1024;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + 64 * 1024 }, ct);
        }
        catch (InvalidDataException e)
        {
            return Problems.Invalid("file", $"the upload could not be read (limit {limit} bytes): {e.Message}");
        }
        if (form.Files.GetFile("file") is not { } file) return Problems.Invalid("file", "required: the CSV file in a field named 'file'");
        if (file.Length > limit) return Problems.Invalid("file", $"the file has {file.Length} bytes; the limit is {limit}");

        string name = form["name"].ToString() is { Length: > 0 } given ? given : Path.GetFileNameWithoutExtension(file.FileName);
        if (!ValidName().IsMatch(name))
            return Problems.Invalid("name", $"'{name}' is not a valid dataset name: 1–64 letters, digits, '-' or '_'");
        if (SyntheticDatasets.Find(name) is not null || name == DatasetCatalog.MnistName)
            return Problems.Conflict($"'{name}' is a built-in dataset; choose another name");
        string uploads = Path.Combine(dataDir, DatasetCatalog.UploadsFolder);
        string path = Path.Combine(uploads, name + ".csv");
        if (File.Exists(path) || File.Exists(Path.Combine(dataDir, name + ".csv")))
            return Problems.Conflict($"a dataset named '{name}' already exists");

        string text;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            text = await reader.ReadToEndAsync(ct);
        string? target = form["target"].ToString() is { Length: > 0 } t ? t : null;
        Dataset data;
        try
        {
            data = CsvLoader.Load(new StringReader(text), name + ".csv", target);
        }
        catch (DataFormatException e)
        {
            return Problems.Invalid(target is not null && e.Message.Contains($"target column '{target}'") ? "target" : "file", e.Message);
        }
        if (data.Count > options.Value.MaxCsvRows)
            return Problems.Invalid("file", $"the file has {data.Count} data rows; the limit is {options.Value.MaxCsvRows}");
        if (data.Features + 1 > options.Value.MaxCsvColumns)
            return Problems.Invalid("file", $"the file has {data.Features + 1} columns; the limit is {options.Value.MaxCsvColumns}");

        // Runs load CSVs with the target last; a target named elsewhere is moved there, values unchanged.
        if (target is not null && !IsLastColumn(text, target))
            text = CsvRewriter.TargetLast(data, target);
        Directory.CreateDirectory(uploads);
        string temp = Path.Combine(uploads, $".{name}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, text, ct);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return Problems.Conflict($"a dataset named '{name}' already exists");
        }
        var info = DatasetCatalog.List(dataDir).First(d => d.Name == name);
        return TypedResults.Created($"/api/datasets/{name}", DatasetDto.From(info, uploaded: true));
    }

    private static IEnumerable<DatasetDto> Describe(string dataDir) =>
        DatasetCatalog.List(dataDir).Select(d => DatasetDto.From(d,
            uploaded: d.Kind == "csv" && !File.Exists(Path.Combine(dataDir, d.Name.EndsWith(".csv") ? d.Name : d.Name + ".csv"))));

    private static bool IsLastColumn(string text, string target)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        string header = end < 0 ? text : text[..end];
        return header.Split(',')[^1].Trim().Trim('"').Equals(target, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidName();
}

/// <summary>The multipart form of <c>POST /api/datasets</c> (documentation only: the handler reads the form itself
/// so every problem is a 400 naming the field).</summary>
public sealed class DatasetUploadForm
{
    public required IFormFile File { get; init; }
    /// <summary>Letters, digits, '-' and '_'; default the file's name.</summary>
    public string? Name { get; init; }
    /// <summary>The target column's header; default the last column.</summary>
    public string? Target { get; init; }
}
