using Microsoft.EntityFrameworkCore;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Data;
using TrainingService.Engine.TestFunctions;

namespace TrainingService.Api.Datasets;

/// <summary>
/// Uploads live in the database (<see cref="DatasetUpload"/>, SQLite or PostgreSQL) and are cached as files in the
/// data directory's <c>uploads/</c>, where the engine reads them. Every process sharing the database can therefore
/// train on every upload: one whose file is missing or older than the record writes it from the database before the
/// catalog is asked (<see cref="EnsureAsync"/> for one run's dataset, <see cref="SyncAsync"/> before a listing). The
/// record's <see cref="DatasetUpload.CreatedAt"/> is its version: a cached file carries it as its write time, so a
/// replace made through one instance reaches the others' caches.
/// </summary>
public static class UploadMirror
{
    public static readonly string[] Extensions = [".csv", ImageSetFile.Extension];

    /// <summary>Makes the checked file at <paramref name="tempPath"/> the upload NAME + <paramref name="extension"/>: first in
    /// the database (which decides between instances racing for one name), then in place on this disk. False, leaving
    /// nothing behind, when the name is taken.</summary>
    public static async Task<bool> TryPublishAsync(TrainingDbContext db, string tempPath, string dataDirectory, string name, string extension, CancellationToken ct)
    {
        var version = Version();
        if (!await TrySaveAsync(db, name, tempPath, extension, version, ct)) return false;
        if (UploadStore.TryCreate(tempPath, dataDirectory, name, extension))
        {
            Stamp(dataDirectory, name, extension, version);
            return true;
        }
        await ForgetAsync(db, name, CancellationToken.None);
        return false;
    }

    /// <summary>Records an upload's file; false when the database already has an upload of this name (another
    /// instance took it first).</summary>
    private static async Task<bool> TrySaveAsync(TrainingDbContext db, string name, string path, string extension, DateTime version, CancellationToken ct)
    {
        db.Uploads.Add(new DatasetUpload { Name = name, Extension = extension, Content = await File.ReadAllBytesAsync(path, ct), CreatedAt = version });
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

    /// <summary>Removes an upload's record (a deleted upload, or one whose file could not be put in place); false when
    /// there was none.</summary>
    public static async Task<bool> ForgetAsync(TrainingDbContext db, string name, CancellationToken ct) =>
        await db.Uploads.Where(u => u.Name == name).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Stores new content for the upload NAME (a replace the caller has checked) and returns its version; the
    /// caller puts the file in place and <see cref="Stamp"/>s it.</summary>
    public static async Task<DateTime> ReplaceAsync(TrainingDbContext db, string path, string name, string extension, CancellationToken ct)
    {
        byte[] content = await File.ReadAllBytesAsync(path, ct);
        var version = Version();
        int updated = await db.Uploads.Where(u => u.Name == name).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.Content, content).SetProperty(x => x.Extension, extension).SetProperty(x => x.CreatedAt, version), ct);
        if (updated == 0)
        {
            db.Uploads.Add(new DatasetUpload { Name = name, Extension = extension, Content = content, CreatedAt = version });
            await db.SaveChangesAsync(ct);
        }
        return version;
    }

    /// <summary>Marks this disk's file of an upload as holding the record of <paramref name="version"/>.</summary>
    public static void Stamp(string dataDirectory, string name, string extension, DateTime version) =>
        File.SetLastWriteTimeUtc(Path.Combine(UploadStore.Folder(dataDirectory), name + extension), version);

    /// <summary>Writes the upload a run's <c>dataset.name</c> names when the database has it and this disk's copy is
    /// missing or of another version. Names that are not uploads cost at most one indexed lookup.</summary>
    public static async Task EnsureAsync(TrainingDbContext db, string dataDirectory, string? datasetName, CancellationToken ct)
    {
        if (datasetName is null) return;
        string name = datasetName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? datasetName[..^4] : datasetName;
        if (name.Length is 0 or > 64 || DatasetCatalog.BuiltInKind(name) is not null || Surfaces.Find(datasetName) is not null) return;
        var record = await db.Uploads.AsNoTracking().Where(u => u.Name == name).Select(u => new { u.Extension, u.CreatedAt }).FirstOrDefaultAsync(ct);
        if (record is null || Current(dataDirectory, name, record.Extension, record.CreatedAt)) return;
        if (await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, ct) is { } upload) Write(dataDirectory, upload);
    }

    /// <summary>Before listing datasets: writes every upload in the database whose file this disk lacks or holds in
    /// another version, and removes cached uploads the database no longer has (deleted through another instance). The
    /// files are enumerated before the records are read: a publish saves its record before its file appears, so a file
    /// seen here without a record was deleted, never one in the middle of being published.</summary>
    public static async Task SyncAsync(TrainingDbContext db, string dataDirectory, CancellationToken ct)
    {
        var cached = CachedUploads(dataDirectory);
        var known = await db.Uploads.AsNoTracking().Select(u => new { u.Name, u.Extension, u.CreatedAt }).ToListAsync(ct);
        foreach (var u in known.Where(u => !Current(dataDirectory, u.Name, u.Extension, u.CreatedAt)))
            if (await db.Uploads.AsNoTracking().FirstOrDefaultAsync(x => x.Name == u.Name, ct) is { } upload) Write(dataDirectory, upload);
        foreach (var (name, path) in cached.Where(c => !known.Any(k => k.Name == c.Name)))
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>At start-up, before anything is listed: records every upload this disk holds that the database lacks
    /// (uploads made before uploads were stored in the database, which exist only on the disk that took them), so
    /// that from then on every cached upload has a record and one without a record was deleted.</summary>
    public static async Task<int> BackfillAsync(TrainingDbContext db, string dataDirectory, CancellationToken ct)
    {
        int added = 0;
        foreach (var (name, path) in CachedUploads(dataDirectory))
        {
            if (await db.Uploads.AsNoTracking().AnyAsync(u => u.Name == name, ct)) continue;
            var version = Version();
            if (!await TrySaveAsync(db, name, path, Path.GetExtension(path), version, ct)) continue;
            File.SetLastWriteTimeUtc(path, version);
            added++;
        }
        return added;
    }

    /// <summary>(name, path) of the uploads cached in this data directory's <c>uploads/</c> (temporary and hidden
    /// files aside).</summary>
    private static List<(string Name, string Path)> CachedUploads(string dataDirectory)
    {
        string folder = UploadStore.Folder(dataDirectory);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder)
            .Where(p => Extensions.Contains(Path.GetExtension(p)) && !Path.GetFileName(p).StartsWith('.'))
            .Select(p => (Path.GetFileNameWithoutExtension(p), p)).ToList();
    }

    private static bool Current(string dataDirectory, string name, string extension, DateTime version)
    {
        string path = Path.Combine(UploadStore.Folder(dataDirectory), name + extension);
        return File.Exists(path) && File.GetLastWriteTimeUtc(path).Ticks == version.Ticks;
    }

    /// <summary>Now, to the microsecond: what both databases keep of a timestamp, so a version read back compares equal.</summary>
    private static DateTime Version()
    {
        long ticks = DateTime.UtcNow.Ticks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);
    }

    /// <summary>Through a temporary file and an atomic rename, so a reader never sees half a file.</summary>
    private static void Write(string dataDirectory, DatasetUpload upload)
    {
        if (!Extensions.Contains(upload.Extension)) return;
        string folder = UploadStore.Folder(dataDirectory);
        Directory.CreateDirectory(folder);
        using var temp = new TempFile(folder);
        File.WriteAllBytes(temp.Path, upload.Content);
        File.SetLastWriteTimeUtc(temp.Path, upload.CreatedAt);
        File.Move(temp.Path, Path.Combine(folder, upload.Name + upload.Extension), overwrite: true);
        temp.Kept();
    }
}
