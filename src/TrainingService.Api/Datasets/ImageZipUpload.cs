using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Engine.Data;
using TrainingService.Engine.TestFunctions;

namespace TrainingService.Api.Datasets;

/// <summary>
/// <c>POST /api/datasets</c> with a <c>.zip</c>: the archive (already streamed to a temporary file under
/// <c>Training__MaxImageZipBytes</c>) is read by <see cref="ImageZip"/> into an image set, written as
/// <c>uploads/NAME.images</c> (<see cref="ImageSetFile"/>) and stored in the database (<see cref="UploadMirror"/>).
/// </summary>
internal static class ImageZipUpload
{
    public static bool IsZip(string? fileName) => fileName?.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<Results<Created<DatasetDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        UploadForm upload, string name, TrainingOptions o, TrainingDbContext db, CancellationToken ct)
    {
        // A CSV may share a test surface's name (it loads as NAME.csv); an image set has no such second name.
        if (Surfaces.Find(name) is not null)
            return Problems.Invalid(upload.Name is { Length: > 0 } ? "name" : "file", $"'{name}' is the name of a test surface; choose another name for an image set");
        var (stored, problem) = await ReadAsync(upload, o, ct);
        if (problem is not null) return problem;
        string dataDir = o.DataDirectory;
        using (stored)
        {
            if (!await UploadMirror.TryPublishAsync(db, stored!.Path, dataDir, name, ImageSetFile.Extension, ct))
                return Problems.Conflict($"a dataset named '{name}' already exists");
            stored.Kept();
        }
        var info = DatasetsApi.Describe(dataDir).First(d => d.Name == name);
        return TypedResults.Created($"/api/datasets/{info.Name}", info);
    }

    /// <summary>The zip read into an image set (its fields and limits checked) and written to a temporary
    /// <see cref="ImageSetFile"/> in <c>uploads/</c>, for an upload or a replace to put in place; or the 400.</summary>
    public static async Task<(TempFile? Stored, ValidationProblem? Problem)> ReadAsync(UploadForm upload, TrainingOptions o, CancellationToken ct)
    {
        var (request, problem) = ParseFields(upload.ImageFields);
        if (problem is not null) return (null, problem);
        var limits = new ImageZipLimits(o.MaxImageFiles, o.MaxImageZipExpandedBytes, o.MaxImagePixels, o.MaxImageSetBytes);
        var (set, field, error) = await Task.Run(() => ImageZip.Read(upload.File.Path, request!, limits, ct), ct);
        if (set is null) return (null, Problems.Invalid(field!, error!));
        var stored = new TempFile(UploadStore.Folder(o.DataDirectory));
        try
        {
            await using (var file = new FileStream(stored.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                ImageSetFile.Write(file, set.Shape, set.Pixels, set.Labels, set.ClassNames);
            return (stored, null);
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    /// <summary>width and height 1..<see cref="ImageRequest.MaxSide"/>, channels 1 or 3; each optional.</summary>
    private static (ImageRequest?, ValidationProblem?) ParseFields(Dictionary<string, string> fields)
    {
        int? Get(string field, out ValidationProblem? problem, int min, int max, string expected)
        {
            problem = null;
            if (!fields.TryGetValue(field, out string? text) || string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
                && (field != "channels" || v is 1 or 3))
                return v;
            problem = Problems.Invalid(field, $"'{text}' is not {expected}");
            return null;
        }
        string side = $"a whole number of pixels from 1 to {ImageRequest.MaxSide}";
        int? width = Get("width", out var p1, 1, ImageRequest.MaxSide, side);
        if (p1 is not null) return (null, p1);
        int? height = Get("height", out var p2, 1, ImageRequest.MaxSide, side);
        if (p2 is not null) return (null, p2);
        int? channels = Get("channels", out var p3, 1, 3, "1 (grey) or 3 (colour)");
        if (p3 is not null) return (null, p3);
        return (new ImageRequest(width, height, channels), null);
    }
}
