using Microsoft.Extensions.DependencyInjection;
using TrainingService.Api.Worker;

namespace TrainingService.Api.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task TwoWorkerSlotsTrainEachOfTenQueuedRunsExactlyOnce()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerConcurrency"] = "2" });
        var client = factory.CreateClient();
        var ids = new List<long>();
        for (int i = 0; i < 10; i++) ids.Add((await client.SubmitAsync(Api.SmallSpec(seed: i, epochs: 2))).Id);

        foreach (long id in ids)
        {
            var run = await client.WaitAsync(id);
            Assert.Equal("succeeded", run.Status);
            Assert.Equal(run.Progress.TotalSteps, (await client.GetMetricsAsync(id)).Steps.Count);
        }
        var claims = factory.Services.GetRequiredService<WorkerHealth>().Claims;
        Assert.All(ids, id => Assert.Equal(1, claims.GetValueOrDefault(id)));
    }

    [Fact]
    public async Task TwoHostsSharingADatabaseNeverTrainTheSameRunTwice()
    {
        string dir = ServiceFactory.NewDataDirectory();
        try
        {
            var settings = new Dictionary<string, string?> { ["Training:WorkerConcurrency"] = "2" };
            await using var a = new ServiceFactory(dir, settings);
            await using var b = new ServiceFactory(dir, settings);
            var clientA = a.CreateClient();
            var clientB = b.CreateClient();
            var ids = new List<long>();
            for (int i = 0; i < 10; i++)
                ids.Add((await (i % 2 == 0 ? clientA : clientB).SubmitAsync(Api.SmallSpec(seed: i, epochs: 2))).Id);

            foreach (long id in ids) Assert.Equal("succeeded", (await clientA.WaitAsync(id)).Status);
            var claimsA = a.Services.GetRequiredService<WorkerHealth>().Claims;
            var claimsB = b.Services.GetRequiredService<WorkerHealth>().Claims;
            Assert.All(ids, id => Assert.Equal(1, claimsA.GetValueOrDefault(id) + claimsB.GetValueOrDefault(id)));
        }
        finally
        {
            ServiceFactory.DeleteDirectory(dir);
        }
    }
}
