using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TrainingService.Data;

namespace TrainingService.Migrations.Postgres;

/// <summary>
/// What <c>dotnet ef</c> builds the model from when this project is both the target and the startup project
/// (<c>dotnet ef migrations add Name --project migrations/Postgres</c>): TrainingDbContext on Npgsql, its migrations here.
/// No server is needed: <c>migrations add</c> and <c>has-pending-model-changes</c> compare the model with the snapshot
/// and never connect.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TrainingDbContext>
{
    public TrainingDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<TrainingDbContext>()
        .UseNpgsql("Host=localhost;Database=training", x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);
}
