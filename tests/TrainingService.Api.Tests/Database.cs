using Microsoft.EntityFrameworkCore;
using TrainingService.Data;

namespace TrainingService.Api.Tests;

/// <summary>Direct access to a service's SQLite file, for checks and for staging what a crash leaves behind.</summary>
public static class Database
{
    public static TrainingDbContext Open(string dataDirectory) =>
        new(new DbContextOptionsBuilder<TrainingDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "training.db")}", x => x.MigrationsAssembly("TrainingService.Migrations"))
            .Options);
}
