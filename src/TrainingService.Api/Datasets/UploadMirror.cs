using Microsoft.EntityFrameworkCore;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.Landscape;

namespace TrainingService.Api.Datasets;

/// <summary>
/// Uploads live in the database (<see cref="DatasetUpload"/>, SQLite or PostgreSQL) and are cached as files in the
/// data directory's <c>uploads/</c>, where the engine reads them. Every process sharing the database can therefore
/// train on every upload: one that lacks the file writes it from the database before the catalog is asked
/// (<see cref="EnsureAsync"/> for one run's dataset, <see cref="SyncAsync"/> before a listing).
/// </summary>
public static class UploadMirror
{
    public static readonly string[] Extensions = [".csv", ImageSetFile.Extension];

    /// <summary>Makes the checked file at <paramref name="tempPath"/> the upload NAME + <paramref name="extension"/>: first in
    /// the database (which decides between instances racing for one name), then in place on this disk. False, leaving
    /// nothing behind, when the name is taken.</summary>
    public static async Task<bool> TryPublishAsync(TrainingDbContext db, string tempPath, string dataDirectory, string name, string extension, CancellationToken ct)
    {
        if (!await TrySaveAsync(db, name, tempPath, extension, ct)) return false;
        if (UploadStore.TryCreate(tempPath, dataDirectory, name, extension)) return true;
        await ForgetAsync(db, name, CancellationToken.None);
        return false;
    }

    /// <summary>Records an upload's file; false when the database already has an upload of this name (another
    /// instance took it first).</summary>
    private static async Task<bool> TrySaveAsync(TrainingDbContext db, string name, string path, string extension, CancellationToken ct)
    {
        db.Uploads.Add(new DatasetUpload
        {
            Name = name, Extension = extension, Content = await File.ReadAllBytesAsync(path, ct), CreatedAt = DateTime.UtcNow,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Uploads.AsNoTracking().AnyAsync(u => u.Name == name, ct)) return false;
            throw;
        }
    }

    /// <summary>Removes a record whose file could not be put in place.</summary>
    private static Task ForgetAsync(TrainingDbContext db, string name, CancellationToken ct) =>
        db.Uploads.Where(u => u.Name == name).ExecuteDeleteAsync(ct);

    /// <summary>Writes the upload a run's <c>dataset.name</c> names, when it is in the database and not yet on this disk.
    /// Names that are not uploads (generators, surfaces, files of the data directory) cost one indexed lookup.</summary>
    public static async Task EnsureAsync(TrainingDbContext db, string dataDirectory, string? datasetName, CancellationToken ct)
    {
        if (datasetName is null) return;
        string name = datasetName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? datasetName[..^4] : datasetName;
        if (name.Length is 0 or > 64 || DatasetCatalog.BuiltInKind(name) is not null || Surfaces.Find(datasetName) is not null || Extensions.Any(e => File.Exists(Path.Combine(UploadStore.Folder(dataDirectory), name + e)))) return;
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, ct);
        if (upload is not null) Write(dataDirectory, upload);
    }

    /// <summary>Writes every upload in the database that this disk lacks (before listing datasets).</summary>
    public static async Task SyncAsync(TrainingDbContext db, string dataDirectory, CancellationToken ct)
    {
        var known = await db.Uploads.AsNoTracking().Select(u => new { u.Name, u.Extension }).ToListAsync(ct);
        foreach (var u in known.Where(u => !File.Exists(Path.Combine(UploadStore.Folder(dataDirectory), u.Name + u.Extension))))
            if (await db.Uploads.AsNoTracking().FirstOrDefaultAsync(x => x.Name == u.Name, ct) is { } upload) Write(dataDirectory, upload);
    }

    /// <summary>Through a temporary file and an atomic move, so a reader never sees half a file; a file another process
    /// wrote meanwhile is the same bytes and is left alone.</summary>
    private static void Write(string dataDirectory, DatasetUpload upload)
    {
        if (!Extensions.Contains(upload.Extension)) return;
        string folder = UploadStore.Folder(dataDirectory);
        Directory.CreateDirectory(folder);
        using var temp = new TempFile(folder);
        File.WriteAllBytes(temp.Path, upload.Content);
        try
        {
            File.Move(temp.Path, Path.Combine(folder, upload.Name + upload.Extension), overwrite: false);
            temp.Kept();
        }
        catch (IOException) { } // already there
    }
}
