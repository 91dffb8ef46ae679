using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

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
            .WithSummary("Upload a CSV (header row; target column by name, default the last; validated with line-numbered errors) or a .zip of class folders of images (resized to width × height, channels 1 or 3); size-limited");
        return datasets;
    }

    private static async Task<Ok<List<DatasetDto>>> List(IOptions<TrainingOptions> options, TrainingDbContext db, CancellationToken ct)
    {
        await UploadMirror.SyncAsync(db, options.Value.DataDirectory, ct);
        return TypedResults.Ok(Describe(options.Value.DataDirectory).ToList());
    }

    private static async Task<Results<Ok<DatasetDto>, ProblemHttpResult>> Get(string name, IOptions<TrainingOptions> options, TrainingDbContext db, CancellationToken ct)
    {
        await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, name, ct);
        return Describe(options.Value.DataDirectory).FirstOrDefault(d => d.Name == name) is { } d
            ? TypedResults.Ok(d)
            : Problems.NotFound($"dataset '{name}' does not exist");
    }

    /// <summary>The file streams to a temporary file in <c>uploads/</c>, is checked row by row (stopping at the row and
    /// column limits), has its target moved last if need be, and becomes <c>uploads/NAME.csv</c> atomically. Memory is
    /// bounded by a row whatever the file's size; whatever fails, the temporary files go.</summary>
    private static async Task<Results<Created<DatasetDto>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, IOptions<TrainingOptions> options, TrainingDbContext db, CancellationToken ct)
    {
        var o = options.Value;
        string dataDir = o.DataDirectory;
        string uploads = UploadStore.Folder(dataDir);
        Directory.CreateDirectory(uploads);
        UploadStore.SweepStale(uploads);

        var (form, problem) = await UploadForm.ReadAsync(request, uploads, o.MaxUploadBytes, ct, o.MaxImageZipBytes);
        if (problem is not null) return problem;
        using var upload = form!;

        // Named by the form's 'name', else by the file: errors about the name go to the field it came from.
        string field = upload.Name is { Length: > 0 } ? "name" : "file";
        string name = upload.Name is { Length: > 0 } given ? given : Path.GetFileNameWithoutExtension(upload.FileName ?? "");
        string source = field == "name" ? $"'{name}'" : $"the file name '{upload.FileName}' gives the name '{name}', which";
        if (!ValidName().IsMatch(name))
            return Problems.Invalid(field, $"{source} is not a valid dataset name: 1–64 letters, digits, '-' or '_'" + (field == "file" ? "; send a 'name'" : ""));
        if (DatasetCatalog.BuiltInKind(name) is { } kind)
            return Problems.Invalid(field, $"{source} is the name of a built-in dataset ({kind}, names compared ignoring case); choose another name");
        if (UploadStore.Exists(dataDir, name))
            return Problems.Conflict($"a dataset named '{name}' already exists");
        if (ImageZipUpload.IsZip(upload.FileName)) return await ImageZipUpload.CreateAsync(upload, name, o, db, ct);

        string? target = upload.Target is { Length: > 0 } t ? t : null;
        CsvSummary csv;
        try
        {
            using var reader = new StreamReader(upload.File.Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            csv = CsvLoader.Scan(reader, name + ".csv", target, new CsvLimits(o.MaxCsvRows, o.MaxCsvColumns));
        }
        catch (DataFormatException e)
        {
            return Problems.Invalid(target is not null && e.Message.Contains($"target column '{target}'") ? "target" : "file", e.Message);
        }

        // Runs load CSVs with the target last; a target named elsewhere is moved there, values unchanged.
        using var stored = csv.TargetColumn == csv.Features ? null : new TempFile(uploads);
        if (stored is not null)
        {
            using (var input = new StreamReader(upload.File.Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            await using (var output = new StreamWriter(stored.Path, append: false, new UTF8Encoding(false)))
                await CsvRewriter.MoveColumnLastAsync(input, output, csv.TargetColumn, name + ".csv", ct);
        }
        if (!await UploadMirror.TryPublishAsync(db, stored?.Path ?? upload.File.Path, dataDir, name, ".csv", ct))
            return Problems.Conflict($"a dataset named '{name}' already exists");
        (stored ?? upload.File).Kept();

        // Listed by the name a spec loads it with: NAME.csv when NAME is a test surface's (rosenbrock.csv).
        var info = TrainingInputs.List(dataDir).First(d => d.Kind == "csv" && (d.Name == name || d.Name == name + ".csv"));
        return TypedResults.Created($"/api/datasets/{info.Name}", DatasetDto.From(info, uploaded: true));
    }

    internal static IEnumerable<DatasetDto> Describe(string dataDir) =>
        TrainingInputs.List(dataDir).Select(d => DatasetDto.From(d,
            uploaded: d.Kind == "images" || d.Kind == "csv" && !File.Exists(Path.Combine(dataDir, d.Name.EndsWith(".csv") ? d.Name : d.Name + ".csv"))));

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
    /// <summary>A .zip of class folders only: the width every image is resized to (default 32).</summary>
    public int? Width { get; init; }
    /// <summary>A .zip only: the height every image is resized to (default 32).</summary>
    public int? Height { get; init; }
    /// <summary>A .zip only: 1 (grey) or 3 (colour); default 1 when every image is grey, else 3.</summary>
    public int? Channels { get; init; }
}
