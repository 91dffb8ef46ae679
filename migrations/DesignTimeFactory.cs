using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TrainingService.Data;

namespace TrainingService.Migrations;

/// <summary>
/// What <c>dotnet ef</c> builds the model from when this project is both the target and the startup project
/// (<c>dotnet ef migrations add Name --project migrations</c>): TrainingDbContext on SQLite, its migrations here. The tool
/// never opens the database for <c>migrations add</c> or <c>has-pending-model-changes</c>; the service configures its own
/// (Hosting/Database.cs).
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TrainingDbContext>
{
    public TrainingDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<TrainingDbContext>()
        .UseSqlite("Data Source=design-time.db", x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);
}
