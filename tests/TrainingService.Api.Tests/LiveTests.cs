using Microsoft.AspNetCore.SignalR.Client;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

/// <summary>The hub through the official SignalR client (<see cref="LiveHub"/>): every step, epoch, status and boundary pushed live.
/// The client runs handlers one at a time in arrival order, so the lists below are the order the server sent.</summary>
public sealed class LiveTests
{
    [Fact]
    public async Task SubscribedClientReceivesEveryStepEachEpochAndStatusChanges()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var runIds = new HashSet<long>();
        var steps = new List<long>();
        var epochs = new List<int>();
        var statuses = new List<string>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, StepPoint[]>("steps", (id, points) => { runIds.Add(id); steps.AddRange(points.Select(p => p.Step)); });
        hub.On<long, EpochPoint>("epoch", (id, epoch) => { runIds.Add(id); epochs.Add(epoch.Epoch); });
        hub.On<long, RunDto>("status", (id, run) =>
        {
            runIds.Add(id);
            statuses.Add(run.Status);
            if (run.Status == "succeeded") succeeded.TrySetResult();
        });
        await hub.InvokeAsync("Subscribe", 1L); // a fresh database's first run

        var run = await client.SubmitAsync(Api.SmallSpec(epochs: 3));
        Assert.Equal(1, run.Id);
        await succeeded.Task.Within();
        Assert.Equal([1L], runIds);
        Assert.Equal(Enumerable.Range(1, (int)run.Progress.TotalSteps).Select(i => (long)i), steps);
        Assert.Equal([1, 2, 3], epochs);
        Assert.Equal("queued", statuses[0]);
        Assert.Contains("running", statuses);
    }

    [Fact]
    public async Task ATwoDimensionalClassifierPushesItsDecisionBoundaryUpToTheLastEpoch()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await using var hub = await factory.ConnectHubAsync();
        var boundaries = new List<(int Epoch, int Cells, int Resolution)>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, BoundaryPoint>("boundary", (_, b) => boundaries.Add((b.Epoch, b.Grid.Confidence.Length, b.Grid.Resolution)));
        hub.On<long, RunDto>("status", (_, run) => { if (run.Status == "succeeded") succeeded.TrySetResult(); });
        await hub.InvokeAsync("Subscribe", 1L);

        await client.SubmitAsync(new { dataset = new { name = "circles", samples = 120 }, model = new { hidden = new[] { 8 } }, epochs = 4, seed = 2 });
        await succeeded.Task.Within();
        Assert.NotEmpty(boundaries);
        Assert.Equal((4, 1600, 40), boundaries[^1]);
        Assert.Equal(boundaries.OrderBy(b => b.Epoch), boundaries);
    }
}
