using System.Text.Json;

namespace TrainingService.Api.Tests;

/// <summary>The hub over TestServer's websocket (<see cref="HubClient"/>): every step, epoch, status and boundary pushed live.</summary>
public sealed class LiveTests
{
    [Fact]
    public async Task SubscribedClientReceivesEveryStepEachEpochAndStatusChanges()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var reader = await HubClient.ConnectAsync(factory); // handshake answered with {}
        await reader.SendAsync("""{"type":1,"invocationId":"1","target":"Subscribe","arguments":[1]}"""); // a fresh database's first run
        Assert.Contains("\"invocationId\":\"1\"", await reader.NextAsync());

        var run = await client.SubmitAsync(Api.SmallSpec(epochs: 3));
        Assert.Equal(1, run.Id);
        var steps = new List<long>();
        var epochs = new List<int>();
        var statuses = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!statuses.Contains("succeeded"))
        {
            using var message = JsonDocument.Parse(await reader.NextAsync(timeout.Token));
            var root = message.RootElement;
            if (root.GetProperty("type").GetInt32() != 1) continue; // pings
            var args = root.GetProperty("arguments");
            Assert.Equal(1, args[0].GetInt64());
            switch (root.GetProperty("target").GetString())
            {
                case "steps": steps.AddRange(args[1].EnumerateArray().Select(p => p.GetProperty("step").GetInt64())); break;
                case "epoch": epochs.Add(args[1].GetProperty("epoch").GetInt32()); break;
                case "status": statuses.Add(args[1].GetProperty("status").GetString()!); break;
            }
        }
        Assert.Equal(Enumerable.Range(1, (int)run.Progress.TotalSteps).Select(i => (long)i), steps);
        Assert.Equal([1, 2, 3], epochs);
        Assert.Equal("queued", statuses[0]);
        Assert.Contains("running", statuses);
        await reader.CloseAsync();
    }

    [Fact]
    public async Task ATwoDimensionalClassifierPushesItsDecisionBoundaryUpToTheLastEpoch()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var reader = await HubClient.ConnectAsync(factory); // handshake answered with {}
        await reader.SendAsync("""{"type":1,"invocationId":"1","target":"Subscribe","arguments":[1]}""");
        Assert.Contains("\"invocationId\":\"1\"", await reader.NextAsync());

        await client.SubmitAsync(new { dataset = new { name = "circles", samples = 120 }, model = new { hidden = new[] { 8 } }, epochs = 4, seed = 2 });
        var boundaries = new List<(int Epoch, int Cells, int Resolution)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (bool done = false; !done;)
        {
            using var message = JsonDocument.Parse(await reader.NextAsync(timeout.Token));
            var root = message.RootElement;
            if (root.GetProperty("type").GetInt32() != 1) continue;
            var args = root.GetProperty("arguments");
            switch (root.GetProperty("target").GetString())
            {
                case "boundary":
                    var grid = args[1].GetProperty("grid");
                    boundaries.Add((args[1].GetProperty("epoch").GetInt32(), grid.GetProperty("confidence").GetArrayLength(), grid.GetProperty("resolution").GetInt32()));
                    break;
                case "status": done = args[1].GetProperty("status").GetString() == "succeeded"; break;
            }
        }
        Assert.NotEmpty(boundaries);
        Assert.Equal((4, 1600, 40), boundaries[^1]);
        Assert.Equal(boundaries.OrderBy(b => b.Epoch), boundaries);
        await reader.CloseAsync();
    }
}
