using System.Net.Http.Json;
using TrainingService.Api.Contracts;

namespace TrainingService.Api.Tests;

public sealed class ListTests
{
    [Fact]
    public async Task ListFiltersByStatusTagAndTextAndPagesNewestFirst()
    {
        await using var factory = new ServiceFactory(settings: new() { ["Training:WorkerEnabled"] = "false" });
        var client = factory.CreateClient();
        var ids = new List<long>();
        for (int i = 0; i < 7; i++)
            ids.Add((await client.SubmitAsync(Api.SmallSpec(name: i % 2 == 0 ? $"even run {i}" : $"odd run {i}", tags: i < 3 ? ["first"] : ["later", "x"]))).Id);
        await client.PostAsync($"/api/runs/{ids[1]}/cancel", null);
        await client.PostAsync($"/api/runs/{ids[4]}/cancel", null);

        async Task<RunPage> List(string query) => (await client.GetFromJsonAsync<RunPage>("/api/runs" + query, Api.Json))!;

        var all = await List("");
        Assert.Equal(7, all.Total);
        Assert.Equal(Enumerable.Reverse(ids), all.Items.Select(r => r.Id));

        Assert.Equal([ids[4], ids[1]], (await List("?status=cancelled")).Items.Select(r => r.Id));
        Assert.Equal([ids[2], ids[1], ids[0]], (await List("?tag=first")).Items.Select(r => r.Id));
        Assert.Equal([ids[6], ids[4], ids[2], ids[0]], (await List("?text=EVEN")).Items.Select(r => r.Id));
        Assert.Equal([ids[4]], (await List("?text=even&tag=later&status=cancelled")).Items.Select(r => r.Id));
        Assert.Empty((await List("?text=100%25")).Items); // LIKE wildcards are literal

        var page2 = await List("?page=2&pageSize=3");
        Assert.Equal((2, 3, 7), (page2.Page, page2.PageSize, page2.Total));
        Assert.Equal([ids[3], ids[2], ids[1]], page2.Items.Select(r => r.Id));
        Assert.Empty((await List("?page=9&pageSize=3")).Items);
    }
}
