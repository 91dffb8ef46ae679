using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Data;

namespace TrainingService.Api.Hosting;

public static class Database
{
    /// <summary>SQLite through EF Core: <c>ConnectionStrings__Training</c>, else <c>training.db</c> in the data directory.</summary>
    public static IServiceCollection AddTrainingDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDbContextFactory<TrainingDbContext>((sp, o) =>
        {
            string dataDir = sp.GetRequiredService<IOptions<TrainingOptions>>().Value.DataDirectory;
            string cs = configuration.GetConnectionString("Training") is { Length: > 0 } configured
                ? configured
                : $"Data Source={Path.Combine(dataDir, "training.db")}";
            o.UseSqlite(cs, x => x.MigrationsAssembly("TrainingService.Migrations"));
        });
        return services;
    }

    /// <summary>Creates the data directory, applies migrations and switches the journal to WAL (readers never block the pump).</summary>
    public static async Task PrepareTrainingDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TrainingOptions>>().Value;
        Directory.CreateDirectory(options.DataDirectory);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TrainingDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
