using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TrainingService.Api.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void MigrationsSnapshotMatchesTheModel()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            using var db = Database.Open(dir);
            Assert.False(db.Database.HasPendingModelChanges(),
                "TrainingDbContext differs from migrations/TrainingDbContextModelSnapshot.cs: add a migration for each provider (dotnet ef migrations add, docs/ARCHITECTURE.md)");
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }

    [Fact]
    public void MigrationIdsStayAsShipped()
    {
        string dir = ServiceFactory.NewDataDirectory();
        using (var db = Database.Open(dir))
            Assert.Equal(["20261122000000_Initial", "20261122000001_Models", "20261122000002_Diagnostics", "20261122000003_StepCounters", "20261122000004_Races", "20261122000005_Leases", "20261129000000_StepRollups", "20261129112953_Uploads", "20261129120752_AddRunNotes", "20261129133531_Sweeps"], db.Database.GetMigrations());
        ServiceFactory.DeleteDirectory(dir);
    }

    [Fact]
    public async Task UpgradingADatabaseThatHoldsDataFromTheInitialMigrationKeepsTheData()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            await using (var db = Database.Open(dir))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261122000000_Initial");
                // Written as the previous version wrote it (SQL, since today's entities may have moved on).
                await using var connection = db.Database.GetDbConnection();
                await connection.OpenAsync();
                await using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO Runs (Id, Name, Status, SpecJson, CreatedAt, StartedAt, FinishedAt, Epoch, Step, TotalSteps, SummaryJson, Error)
                    VALUES (7, 'old run', 'succeeded', '{"name":"old run","dataset":{"name":"xor"},"epochs":1,"seed":5}',
                            '2026-01-02 03:04:05', '2026-01-02 03:04:06', '2026-01-02 03:04:07', 1, 2, 2,
                            '{"trainLoss":0.5,"steps":2,"trainSeconds":0.1,"samplesPerSecond":100,"epochsCompleted":1}', NULL);
                    INSERT INTO RunTags (RunId, Tag) VALUES (7, 'legacy');
                    INSERT INTO StepMetrics (RunId, Step, Epoch, Loss, GradNorm, LayerGradNorms, LearningRate, ElapsedMs)
                    VALUES (7, 1, 1, 0.75, 1.5, '[1.0,0.5]', 0.01, 1.0), (7, 2, 1, 0.25, NULL, '[]', 0.01, 2.0);
                    INSERT INTO EpochMetrics (RunId, Epoch, TrainLoss, TrainAccuracy, ValidationLoss, ValidationAccuracy, LearningRate)
                    VALUES (7, 1, 0.5, 0.75, NULL, NULL, 0.01);
                    """;
                await insert.ExecuteNonQueryAsync();
            }

            await using var factory = new ServiceFactory(dir); // migrates to the latest at start
            var client = factory.CreateClient();
            var run = await client.GetRunAsync(7);
            Assert.Equal(("old run", "succeeded", 0.5, 2L), (run.Name, run.Status, run.Summary!.TrainLoss, run.Progress.Step));
            Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 7, DateTimeKind.Utc), run.FinishedAt);
            Assert.Equal(["legacy"], run.Tags);
            var metrics = await client.GetMetricsAsync(7);
            Assert.Equal([0.75, 0.25], metrics.Steps.Select(s => s.Loss));
            Assert.Equal([1.0, 0.5], metrics.Steps[0].LayerGradNorms);
            Assert.Equal(0.75, Assert.Single(metrics.Epochs).TrainAccuracy);
            // The table the second migration adds is there (this run predates models: 404 with a reason).
            await (await client.GetAsync("/api/runs/7/model")).ProblemAsync(HttpStatusCode.NotFound);
            // New runs get ids after the old ones.
            var next = await client.SubmitAsync(Api.SmallSpec());
            Assert.Equal(8, next.Id);
            await using var check = Database.Open(dir);
            Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
