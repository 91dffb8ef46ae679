using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TrainingService.Data;

namespace TrainingService.Api.Hosting;

/// <summary>Which database this process uses and how to reach it (decided once, at start).</summary>
public sealed record TrainingStore(bool IsPostgres, string ConnectionString)
{
    public const string SqliteMigrations = "TrainingService.Migrations";
    public const string PostgresMigrations = "TrainingService.Migrations.Postgres";

    /// <summary><c>Training__Database</c> when set; otherwise a connection string with <c>Host=</c> is PostgreSQL's
    /// (Npgsql's keyword; SQLite's is <c>Data Source=</c>). Empty: SQLite's <c>training.db</c> in the data directory.</summary>
    public static TrainingStore From(IConfiguration configuration, TrainingOptions options)
    {
        string? configured = configuration.GetConnectionString("Training") is { Length: > 0 } cs ? cs : null;
        bool postgres = options.Database switch
        {
            "postgres" => true,
            "sqlite" => false,
            _ => configured is not null && configured.Split(';').Any(p => p.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)),
        };
        if (postgres && configured is null)
            throw new OptionsValidationException(nameof(TrainingOptions.Database), typeof(TrainingOptions),
                ["Training:Database is postgres but ConnectionStrings:Training is not set (e.g. Host=db;Username=training;Password=…;Database=training)"]);
        return new(postgres, configured ?? $"Data Source={Path.Combine(options.DataDirectory, "training.db")}");
    }

    /// <summary>Where the data lives, for the start-up log: SQLite's file as a full path, PostgreSQL's host, port,
    /// database and user (never the password).</summary>
    public string Describe()
    {
        if (IsPostgres)
        {
            var pg = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL {pg.Host}:{pg.Port}/{pg.Database} as {pg.Username}";
        }
        string file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        return file is ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? $"SQLite {file}"
            : $"SQLite {Path.GetFullPath(file)}";
    }
}

public static class Database
{
    /// <summary>EF Core on SQLite (default) or PostgreSQL, each with its own migrations assembly (made by <c>dotnet ef</c>).</summary>
    public static IServiceCollection AddTrainingDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => TrainingStore.From(configuration, sp.GetRequiredService<IOptions<TrainingOptions>>().Value));
        services.AddDbContextFactory<TrainingDbContext>((sp, o) =>
        {
            var store = sp.GetRequiredService<TrainingStore>();
            if (store.IsPostgres) o.UseNpgsql(store.ConnectionString, x => x.MigrationsAssembly(TrainingStore.PostgresMigrations));
            else o.UseSqlite(store.ConnectionString, x => x.MigrationsAssembly(TrainingStore.SqliteMigrations));
        });
        return services;
    }

    /// <summary>Says which data directory and database this process uses (one line, before anything can fail), creates
    /// the directory and applies migrations (EF Core locks the database while it migrates, so several nodes may start at
    /// once); on SQLite, switches the journal to WAL (readers never block the pump).</summary>
    public static async Task PrepareTrainingDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TrainingOptions>>().Value;
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TrainingService.Storage").LogInformation(
            "Data directory {DataDirectory}; database {Database}", options.DataDirectory, app.Services.GetRequiredService<TrainingStore>().Describe());
        Directory.CreateDirectory(options.DataDirectory);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TrainingDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (!app.Services.GetRequiredService<TrainingStore>().IsPostgres)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
