using TrainingService.Engine.Data;
using TrainingService.Engine.TestFunctions;

namespace TrainingService.Engine.Training;

/// <summary>
/// What a spec's <c>dataset.name</c> can name, in the order the dataset listing shows them: the catalog's generators,
/// the test surfaces, then mnist and the CSV files. A surface's name means the surface (the session routes it before
/// the catalog is asked), so a CSV that shares one (an upload called rosenbrock) is listed as NAME.csv, the name that
/// loads it.
/// </summary>
public static class TrainingInputs
{
    public static IReadOnlyList<DatasetInfo> List(string dataDirectory)
    {
        var catalog = DatasetCatalog.List(dataDirectory);
        var list = new List<DatasetInfo>(catalog.Where(d => d.Kind == "synthetic"));
        list.AddRange(Surfaces.Describe());
        foreach (var d in catalog.Where(d => d.Kind != "synthetic"))
            list.Add(Surfaces.Find(d.Name) is null ? d : d with { Name = d.Name + ".csv" });
        return list;
    }
}
