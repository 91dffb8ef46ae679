using TrainingService.Engine.TestFunctions;
using TrainingService.Engine.Data;
using TrainingService.Engine.Landscape;
using TrainingService.Engine.Training;
using static TrainingService.Engine.Tests.Training.TrainingRuns;

namespace TrainingService.Engine.Tests.Landscape;

/// <summary>A test surface is an objective of its own, routed from the spec: the dataset catalog never sees it.</summary>
public sealed class SurfaceObjectiveTests
{
    private const string Csv = "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n6,12\n7,14\n8,16\n9,18\n10,20\n";

    [Fact]
    public void ASurfaceRunNeedsNoCatalogAndNoDataDirectory()
    {
        string missing = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid());
        Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("rosenbrock", null, null, 0, missing)); // not a dataset
        var s = TrainingSession.Create(Spec("""{"dataset":{"name":"rosenbrock"},"model":{"hidden":[]},"epochs":3,"seed":1}"""), missing);
        Assert.Same(Surfaces.Find("rosenbrock"), s.Surface);
        Assert.Equal(RunOutcome.Succeeded, s.Run().Outcome);
        Assert.Equal(3, s.Step);
    }

    [Fact]
    public void ACsvNamedLikeASurfaceLoadsAsNameDotCsvAndStaysACsvWhenRebuilt()
    {
        using var dir = new TempDirectory();
        dir.Write("uploads/rosenbrock.csv", Csv);

        var surface = Session("""{"dataset":{"name":"rosenbrock"},"model":{"hidden":[]},"epochs":1,"seed":1}""", dir.Path);
        Assert.NotNull(surface.Surface);

        var csv = Session("""{"dataset":{"name":"rosenbrock.csv","validationFraction":0,"testFraction":0},"model":{"hidden":[]},"epochs":2,"seed":1}""", dir.Path);
        Assert.Null(csv.Surface);
        Assert.Equal(10, csv.Train.Count);
        Assert.Equal("rosenbrock.csv", csv.Spec.Dataset!.Name); // the filled-in spec keeps the name that loads the file
        Assert.Equal(RunOutcome.Succeeded, csv.Run().Outcome);
        var rebuilt = TrainingSession.Create(csv.Spec, dir.Path);
        Assert.Null(rebuilt.Surface);
        Assert.Equal(10, rebuilt.Train.Count);

        var listed = TrainingInputs.List(dir.Path);
        Assert.Single(listed, d => d.Name == "rosenbrock" && d.Kind == "surface");
        Assert.Single(listed, d => d.Name == "rosenbrock.csv" && d.Kind == "csv");
    }

    [Fact]
    public void AnUnknownNameStillListsTheSurfacesAmongTheChoices()
    {
        var e = Assert.Throws<SpecException>(() => Session("""{"dataset":{"name":"rosenbrok"}}"""));
        var error = Assert.Single(e.Errors, x => x.Path == "dataset.name");
        Assert.Contains("unknown dataset 'rosenbrok'", error.Message);
        Assert.Contains("rosenbrock", error.Message.Replace("'rosenbrok'", ""));
    }

    [Fact]
    public void TheInputsListShowsTheSurfacesAfterTheGenerators()
    {
        var list = TrainingInputs.List(Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid()));
        Assert.Equal(SyntheticDatasets.All.Count + Surfaces.All.Length + BuiltInDatasets.All.Count, list.Count);
        var surfaces = list.Skip(SyntheticDatasets.All.Count).Take(Surfaces.All.Length).ToList();
        Assert.Equal(["quadratic_bowl", "rosenbrock", "beale", "saddle"], surfaces.Select(i => i.Name));
        Assert.All(surfaces, i => Assert.Equal("surface", i.Kind));
        Assert.All(list.Skip(SyntheticDatasets.All.Count + Surfaces.All.Length), i => Assert.Equal("builtin", i.Kind)); // then the real datasets
    }
}
