using TrainingService.Engine.Data;

namespace TrainingService.Api.Datasets;

/// <summary>The uploads folder of the data directory: an upload becomes a dataset in one atomic step, from a
/// temporary file beside it, so a dataset is never seen half-written and one name is never created twice.</summary>
internal static class UploadStore
{
    private static readonly Lock CreateLock = new();

    public static string Folder(string dataDir) => Path.Combine(dataDir, DatasetCatalog.UploadsFolder);

    /// <summary>A CSV of this name exists in the data directory or its uploads folder, or an image set in uploads.</summary>
    public static bool Exists(string dataDir, string name) =>
        File.Exists(Path.Combine(Folder(dataDir), name + ".csv")) || File.Exists(Path.Combine(dataDir, name + ".csv"))
        || File.Exists(Path.Combine(Folder(dataDir), name + ImageSetFile.Extension));

    /// <summary>Moves <paramref name="tempPath"/> to <c>uploads/NAME.csv</c> (or NAME + <paramref name="extension"/>); false, leaving it, when that dataset
    /// exists. The move never replaces a file: on Unix .NET links the new name (link(2) fails when it exists, also
    /// against another process sharing the directory) and then unlinks the old; the lock covers the check beside it
    /// and file systems where .NET falls back to check-then-rename.</summary>
    public static bool TryCreate(string tempPath, string dataDir, string name, string extension = ".csv")
    {
        string path = Path.Combine(Folder(dataDir), name + extension);
        lock (CreateLock)
        {
            if (Exists(dataDir, name)) return false;
            try
            {
                File.Move(tempPath, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
    }

    /// <summary>The file a CSV dataset's listed name (<c>foo</c>, or <c>foo.csv</c> when a built-in has the name) loads:
    /// the data directory's first, then the uploads folder's.</summary>
    public static string PathOf(string dataDir, string listedName)
    {
        string file = listedName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? listedName : listedName + ".csv";
        string inData = Path.Combine(dataDir, file);
        return File.Exists(inData) ? inData : Path.Combine(Folder(dataDir), file);
    }

    /// <summary>Puts <paramref name="tempPath"/> in place of the upload <c>uploads/NAME.csv</c> (or NAME + <paramref name="extension"/>) in one rename (a
    /// reader sees the old file or the new one, never a mix).</summary>
    public static void Replace(string tempPath, string dataDir, string name, string extension = ".csv")
    {
        lock (CreateLock)
            File.Move(tempPath, Path.Combine(Folder(dataDir), name + extension), overwrite: true);
    }

    /// <summary>Removes the upload <c>uploads/NAME.csv</c> or <c>uploads/NAME.images</c>; false when it was already gone.</summary>
    public static bool Delete(string dataDir, string name)
    {
        bool deleted = false;
        lock (CreateLock)
            foreach (string extension in new[] { ".csv", ImageSetFile.Extension })
            {
                string path = Path.Combine(Folder(dataDir), name + extension);
                if (!File.Exists(path)) continue;
                File.Delete(path);
                deleted = true;
            }
        return deleted;
    }

    /// <summary>Removes temporary files an hour old: left by a process that died mid-upload.</summary>
    public static void SweepStale(string uploads)
    {
        if (!Directory.Exists(uploads)) return;
        foreach (string file in Directory.EnumerateFiles(uploads, ".upload-*.tmp"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddHours(-1)) File.Delete(file);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
