using TrainingService.Engine.Training;
using TrainingService.Tests.Shared;

namespace TrainingService.Engine.Tests;

/// <summary>
/// The engine's folders form layers like the service's: the numeric core at the bottom (Tensors, then the layer,
/// loss and optimizer kinds that declare their own vocabulary entries), the training session above them, and the views
/// drawn from a session (Landscape) on top. No cycle, read from the compiled engine and from its sources.
/// </summary>
public sealed class EngineLayerTests
{
    /// <summary>Bottom to top (docs/ARCHITECTURE.md, Layout). A new folder must be placed here.</summary>
    private static readonly NamespaceLayers Engine = new(typeof(TrainingSession).Assembly, "TrainingService.Engine",
        ["Vocabulary", "Tensors", "Sweeps", "Activations", "Data", "Layers", "Losses", "Optimizers", "Gradients", "Search", "TestFunctions", "Training", "Landscape"]);

    [Fact]
    public void EveryFolderOfTheEngineUsesOnlyTheLayersBelowIt()
    {
        var edges = Engine.CompiledEdges();
        Assert.Equal(Engine.Layers.Order(), edges.Keys.Order());
        Assert.Empty(Engine.BackEdges(edges));
    }

    [Fact]
    public void EverySourceFolderOfTheEngineNamesOnlyTheLayersBelowIt()
    {
        // Only full names: folder names such as Data and Layers are also members here (Parameter.Data, Network.Layers).
        var edges = Engine.SourceEdges(Path.Combine(NamespaceLayers.RepositoryRoot(), "src", "TrainingService.Engine"), relative: false);
        Assert.Equal(Engine.Layers.Order(), edges.Keys.Order());
        Assert.Empty(Engine.BackEdges(edges));
    }
}
