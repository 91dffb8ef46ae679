using TrainingService.Tests.Shared;

namespace TrainingService.Api.Tests;

/// <summary>
/// The service's folders (one namespace each) form layers: a folder may use only the folders below it, so the
/// namespace graph has no cycle (read from the compiled assembly and from the sources: tests/Shared/NamespaceLayers.cs).
/// A lower layer that must reach a higher one does it through an interface declared below (<c>Contracts.IRunEvents</c>).
/// </summary>
public sealed class NamespaceLayerTests
{
    /// <summary>Bottom to top (docs/ARCHITECTURE.md, Layout). A new folder must be placed here.</summary>
    private static readonly NamespaceLayers Service = new(typeof(Program).Assembly, "TrainingService.Api",
        ["Contracts", "Specs", "Hosting", "Datasets", "Rollups", "Worker", "Live", "Health", "Runs", "Races", "LrFinder", "Sweeps", "OpenApi"]);

    [Fact]
    public void EveryFolderOfTheServiceUsesOnlyTheLayersBelowIt()
    {
        var edges = Service.CompiledEdges();
        Assert.Equal(Service.Layers.Order(), edges.Keys.Order()); // every namespace is placed, none is stale
        Assert.Empty(Service.BackEdges(edges));
    }

    [Fact]
    public void EverySourceFolderNamesOnlyTheLayersBelowIt()
    {
        var edges = Service.SourceEdges(Path.Combine(NamespaceLayers.RepositoryRoot(), "src", "TrainingService.Api"), relative: true);
        Assert.Equal(Service.Layers.Order(), edges.Keys.Order());
        Assert.Empty(Service.BackEdges(edges));
    }

    /// <summary>The check itself: a back edge is reported, and so is the cycle it closes.</summary>
    [Fact]
    public void ABackEdgeIsReported()
    {
        var edges = Service.Layers.ToDictionary(l => l, _ => new HashSet<string>());
        edges["Runs"].Add("Worker");
        Assert.Empty(Service.BackEdges(edges));
        edges["Worker"].Add("Runs");
        Assert.Equal(["Worker → Runs"], Service.BackEdges(edges));
    }
}
