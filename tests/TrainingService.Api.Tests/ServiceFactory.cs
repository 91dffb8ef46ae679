using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace TrainingService.Api.Tests;

/// <summary>
/// The real service on a real SQLite file in a temp data directory. A fresh factory per test; two factories on the
/// same <see cref="DataDirectory"/> are the same service restarted.
/// </summary>
public sealed class ServiceFactory(string? dataDirectory = null, Dictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory = dataDirectory is null;

    public string DataDirectory { get; } = dataDirectory ?? NewDataDirectory();

    public static string NewDataDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "trainingservice-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Training:DataDirectory", DataDirectory);
        builder.UseSetting("Training:FlushIntervalMs", "50");
        foreach (var (key, value) in settings ?? []) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory) DeleteDirectory(DataDirectory);
    }

    /// <summary>Removes a test's data directory. Retried: the last SQLite connection to close may still be
    /// removing its -wal/-shm files while the directory is being deleted.</summary>
    public static void DeleteDirectory(string dir)
    {
        SqliteConnection.ClearAllPools();
        for (int attempt = 0; attempt < 10 && Directory.Exists(dir); attempt++)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { Thread.Sleep(50); }
        }
    }
}
