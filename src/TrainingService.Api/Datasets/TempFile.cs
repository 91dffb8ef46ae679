namespace TrainingService.Api.Datasets;

/// <summary>A temporary file in the uploads folder, removed on Dispose unless <see cref="Kept"/> (moved into place).
/// Its name is hidden and not *.csv, so the catalog never lists it.</summary>
internal sealed class TempFile(string folder) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(folder, $".upload-{Guid.NewGuid():N}.tmp");

    private bool _kept;

    public void Kept() => _kept = true;

    public void Dispose()
    {
        if (_kept) return;
        try { File.Delete(Path); }
        catch (IOException) { } // swept later (UploadStore.SweepStale)
        catch (UnauthorizedAccessException) { }
    }
}
