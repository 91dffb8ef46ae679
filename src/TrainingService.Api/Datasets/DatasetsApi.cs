using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Datasets;

/// <summary><c>/api/datasets</c>: what runs can train on (with a detail view: class balance and a sample), and CSV
/// uploads (validated up front, stored in <c>uploads/</c>), which can be replaced (PUT) and deleted unless a queued
/// or running run uses them.</summary>
public static partial class DatasetsApi
{
    public static RouteGroupBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets").WithTags("Datasets").ProducesProblem(StatusCodes.Status500InternalServerError);
        datasets.MapGet("/", List).WithSummary("Built-in generators (with default samples and noise), mnist and CSV files in the data directory, uploads");
        datasets.MapGet("/{name}", Get).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One dataset by id (= name), with its class balance and a bounded sample (first rows, a few images per class, or up to 1,000 points)");
        datasets.MapPost("/", UploadAsync)
            .Accepts<DatasetUploadForm>("multipart/form-data")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Upload a CSV (header row; target column by name, default the last; validated with line-numbered errors) or a .zip of class folders of images (resized to width × height, channels 1 or 3); size-limited");
        datasets.MapPut("/{name}", ReplaceAsync)
            .Accepts<DatasetReplaceForm>("multipart/form-data")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Replace an upload: a CSV with a CSV, an image set with a .zip of class folders (validated like an upload); 409 listing runIds while a queued or running run uses it; only uploads can be replaced");
        datasets.MapDelete("/{name}", DeleteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Delete an upload; 409 listing runIds while a queued or running run uses it; built-ins and the data directory's files are refused (400). Finished runs keep their metrics and models");
        return datasets;
    }

    private static async Task<Ok<List<DatasetDto>>> List(IOptions<TrainingOptions> options, TrainingDbContext db, CancellationToken ct)
    {
        await UploadMirror.SyncAsync(db, options.Value.DataDirectory, ct);
        return TypedResults.Ok(Describe(options.Value.DataDirectory).ToList());
    }

    private static async Task<Results<Ok<DatasetDetailDto>, ProblemHttpResult>> Get(string name, IOptions<TrainingOptions> options, TrainingDbContext db, CancellationToken ct)
    {
        await UploadMirror.EnsureAsync(db, options.Value.DataDirectory, name, ct);
        return Describe(options.Value.DataDirectory).FirstOrDefault(d => d.Name == name) is { } d
            ? TypedResults.Ok(DatasetSamples.Describe(d, options.Value.DataDirectory))
            : Problems.NotFound($"dataset '{name}' does not exist");
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string name, TrainingDbContext db, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        string dataDir = options.Value.DataDirectory;
        var (invalid, refused) = await ChangeableAsync(name, "deleted", db, dataDir, ct);
        if (invalid is not null) return invalid;
        if (refused is not null) return refused;
        // The database first (every instance's copy goes with it), then this disk's file.
        bool recorded = await UploadMirror.ForgetAsync(db, Stem(name), ct);
        if (!UploadStore.Delete(dataDir, Stem(name)) && !recorded) return Problems.NotFound($"dataset '{name}' does not exist");
        DatasetSamples.Forget(dataDir, name);
        return TypedResults.NoContent();
    }

    /// <summary>Like an upload, into the name's place: checked whole before the old file goes, then swapped in one
    /// rename. In use is checked before the body is read and again just before the swap.</summary>
    private static async Task<Results<Ok<DatasetDto>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        string name, HttpRequest request, TrainingDbContext db, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        string dataDir = o.DataDirectory;
        var (notUpload, refused) = await ChangeableAsync(name, "replaced", db, dataDir, ct);
        if (notUpload is not null) return notUpload;
        if (refused is not null) return refused;
        string uploads = UploadStore.Folder(dataDir);
        bool imageSet = File.Exists(Path.Combine(uploads, Stem(name) + ImageSetFile.Extension));
        var (form, problem) = await UploadForm.ReadAsync(request, uploads, o.MaxUploadBytes, ct, o.MaxImageZipBytes);
        if (problem is not null) return problem;
        using var upload = form!;
        // Like for like: a zip of class folders replaces an image set, a CSV a CSV.
        if (ImageZipUpload.IsZip(upload.FileName) != imageSet)
            return Problems.Invalid("file", imageSet
                ? $"'{name}' is an image set: replace it with a .zip of class folders"
                : $"'{name}' is a CSV upload: replace it with a CSV (delete it to upload an image set under its name)");
        string extension = imageSet ? ImageSetFile.Extension : ".csv";
        var (stored, invalid) = imageSet ? await ImageZipUpload.ReadAsync(upload, o, ct) : await CheckAsync(upload, name, uploads, o, ct);
        using (stored)
        {
            if (invalid is not null) return invalid;
            if ((await ChangeableAsync(name, "replaced", db, dataDir, ct)).Refused is { } late) return late;
            var file = stored ?? upload.File;
            var version = await UploadMirror.ReplaceAsync(db, file.Path, Stem(name), extension, ct);
            UploadStore.Replace(file.Path, dataDir, Stem(name), extension);
            UploadMirror.Stamp(dataDir, Stem(name), extension, version);
            file.Kept();
        }
        DatasetSamples.Forget(dataDir, name);
        return TypedResults.Ok(Describe(dataDir).First(d => d.Name == name));
    }

    /// <summary>Null when <paramref name="name"/> is an upload no queued or running run uses; else the refusal: 404
    /// unknown, 400 not an upload (built-ins, generators, the data directory's files), 409 with the runs' ids.</summary>
    private static async Task<(ValidationProblem? NotUpload, ProblemHttpResult? Refused)> ChangeableAsync(
        string name, string verb, TrainingDbContext db, string dataDir, CancellationToken ct)
    {
        if (Describe(dataDir).FirstOrDefault(d => d.Name == name) is not { } d)
            return (null, Problems.NotFound($"dataset '{name}' does not exist"));
        if (d.Kind != "upload")
            return (Problems.Invalid("name", d.Kind == "csv"
                ? $"'{name}' is a file in the data directory, not an upload; only uploads can be {verb} here (change the file itself)"
                : $"'{name}' is a built-in dataset ({d.Kind}); only uploads can be {verb}"), null);
        long[] runs = await DatasetUsage.ActiveRunsAsync(db, name, ct);
        return runs.Length == 0 ? (null, null) : (null, TypedResults.Problem(
            $"dataset '{name}' is used by {(runs.Length == 1 ? "run" : "runs")} {string.Join(", ", runs)} (queued or running); it can be {verb} once they finish or are cancelled",
            statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: new Dictionary<string, object?> { ["runIds"] = runs }));
    }

    /// <summary>An upload's file name without ".csv" (listed as NAME.csv when NAME means a built-in).</summary>
    private static string Stem(string listedName) =>
        listedName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? listedName[..^4] : listedName;

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

        var (stored, invalid) = await CheckAsync(upload, name, uploads, o, ct);
        using (stored)
        {
            if (invalid is not null) return invalid;
            if (!await UploadMirror.TryPublishAsync(db, stored?.Path ?? upload.File.Path, dataDir, name, ".csv", ct))
                return Problems.Conflict($"a dataset named '{name}' already exists");
            (stored ?? upload.File).Kept();
        }

        // Listed by the name a spec loads it with: NAME.csv when NAME is a test surface's (rosenbrock.csv).
        var info = TrainingInputs.List(dataDir).First(d => d.Kind == "csv" && (d.Name == name || d.Name == name + ".csv"));
        return TypedResults.Created($"/api/datasets/{info.Name}", DatasetDto.From(info, uploaded: true));
    }

    /// <summary>Checks the uploaded CSV (limits, every row, the target); a target named elsewhere than last is moved
    /// last into a new temporary file (<c>Stored</c>; null when the upload can be kept as it is), values unchanged,
    /// since runs load CSVs with the target last.</summary>
    private static async Task<(TempFile? Stored, ValidationProblem? Problem)> CheckAsync(
        UploadForm upload, string name, string uploads, TrainingOptions o, CancellationToken ct)
    {
        string? target = upload.Target is { Length: > 0 } t ? t : null;
        string source = name.EndsWith(".csv", StringComparison.Ordinal) ? name : name + ".csv";
        CsvSummary csv;
        try
        {
            using var reader = new StreamReader(upload.File.Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            csv = CsvLoader.Scan(reader, source, target, new CsvLimits(o.MaxCsvRows, o.MaxCsvColumns));
        }
        catch (DataFormatException e)
        {
            return (null, Problems.Invalid(target is not null && e.Message.Contains($"target column '{target}'") ? "target" : "file", e.Message));
        }
        if (csv.TargetColumn == csv.Features) return (null, null);
        var stored = new TempFile(uploads);
        try
        {
            using (var input = new StreamReader(upload.File.Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            await using (var output = new StreamWriter(stored.Path, append: false, new UTF8Encoding(false)))
                await CsvRewriter.MoveColumnLastAsync(input, output, csv.TargetColumn, source, ct);
            return (stored, null);
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    internal static IEnumerable<DatasetDto> Describe(string dataDir) =>
        TrainingInputs.List(dataDir).Select(d => DatasetDto.From(d,
            uploaded: d.Kind == "images" || d.Kind == "csv" && !File.Exists(Path.Combine(dataDir, d.Name.EndsWith(".csv") ? d.Name : d.Name + ".csv"))));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidName();
}

/// <summary>The multipart form of <c>PUT /api/datasets/{name}</c> (documentation only): the new file and its target
/// column; the route names the dataset.</summary>
public sealed class DatasetReplaceForm
{
    /// <summary>A CSV for a CSV upload, a .zip of class folders for an image set.</summary>
    public required IFormFile File { get; init; }
    /// <summary>A CSV: the target column's header; default the last column.</summary>
    public string? Target { get; init; }
    /// <summary>A .zip: the width every image is resized to (default 32).</summary>
    public int? Width { get; init; }
    /// <summary>A .zip: the height every image is resized to (default 32).</summary>
    public int? Height { get; init; }
    /// <summary>A .zip: 1 (grey) or 3 (colour); default 1 when every image is grey, else 3.</summary>
    public int? Channels { get; init; }
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
