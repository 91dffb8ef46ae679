using System.Reflection;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// Real datasets shipped inside the engine (embedded resources from <c>Data/BuiltIn/</c>, sources and licences in its
/// README), so a service or CLI with no data directory can still train on them: the tables <c>iris</c>, <c>wine</c>
/// and <c>breast_cancer</c> (UCI, loaded as CSVs: the last column is the class) and the images <c>digits</c> (the
/// 1,797 UCI 8×8 digits as 1×8×8, pixels 0–16 scaled to [0, 1]) and <c>mnist</c> (the 10,000-image t10k set,
/// 1×28×28, pixels / 255). A data directory's <c>mnist/</c> folder, when present, replaces the built-in mnist
/// (see <see cref="DatasetCatalog"/>).
/// </summary>
public static class BuiltInDatasets
{
    /// <summary>One shipped dataset: what the catalog lists without loading it.</summary>
    public sealed record Entry(string Name, Shape Shape, int Rows, int Classes, string Description);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("iris", Shape.Flat(4), 150, 3,
            "Fisher's iris (UCI, CC BY 4.0): 4 flower measurements in cm, 3 species"),
        new("wine", Shape.Flat(13), 178, 3,
            "UCI wine recognition (CC BY 4.0): 13 chemical measurements of wines from 3 cultivars"),
        new("breast_cancer", Shape.Flat(30), 569, 2,
            "UCI Breast Cancer Wisconsin (Diagnostic) (CC BY 4.0): 30 cell-nucleus features, malignant or benign"),
        new("digits", new Shape(1, 8, 8), 1797, 10,
            "UCI optical handwritten digits (CC BY 4.0): 1,797 8×8 images, pixels 0–16 scaled to [0, 1]"),
        new(DatasetCatalog.MnistName, new Shape(1, 28, 28), 10000, MnistLoader.ClassCount,
            "MNIST handwritten digits (CC BY-SA 3.0), the 10,000-image t10k set built in; pixels scaled to [0, 1]"),
    ];

    public static Entry? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    /// <summary>The dataset called <paramref name="name"/> (one of <see cref="All"/>), read from the engine's resources.</summary>
    public static Dataset Load(string name)
    {
        Entry entry = Find(name) ?? throw new ArgumentException($"'{name}' is not a built-in dataset", nameof(name));
        return name switch
        {
            DatasetCatalog.MnistName => LoadMnist(),
            "digits" => LoadDigits(entry.Shape),
            _ => LoadTable(name, name + ".csv"),
        };
    }

    private static Dataset LoadTable(string name, string file)
    {
        using var reader = new StreamReader(Open(file));
        Dataset d = CsvLoader.Load(reader, file);
        return d.Name == name ? d : throw new InvalidOperationException($"{file} loaded as '{d.Name}'");
    }

    /// <summary>The CSV's 64 pixel columns (0–16) become one 8×8 grey image, scaled like MNIST's to [0, 1].</summary>
    private static Dataset LoadDigits(Shape shape)
    {
        Dataset table;
        using (var reader = new StreamReader(Open("digits8x8.csv")))
            table = CsvLoader.Load(reader, "digits8x8.csv", "digit");
        var x = new float[table.X.Length];
        for (int i = 0; i < x.Length; i++) x[i] = table.X[i] / 16f;
        return new Dataset
        {
            Name = "digits", X = x, Y = table.Y, Count = table.Count, Features = table.Features, Classes = table.Classes,
            ClassNames = table.ClassNames, FeatureNames = table.FeatureNames, Shape = shape,
        };
    }

    private static Dataset LoadMnist()
    {
        using Stream images = Open("mnist.t10k-images-idx3-ubyte.gz"), labels = Open("mnist.t10k-labels-idx1-ubyte.gz");
        return MnistLoader.Load([(IdxReader.Read(images, "t10k-images-idx3-ubyte.gz"), "t10k-images-idx3-ubyte.gz",
            IdxReader.Read(labels, "t10k-labels-idx1-ubyte.gz"), "t10k-labels-idx1-ubyte.gz")]);
    }

    /// <summary>An embedded file of <c>Data/BuiltIn/</c> (subfolders joined with '.', as MSBuild names resources).</summary>
    private static Stream Open(string file) =>
        typeof(BuiltInDatasets).Assembly.GetManifestResourceStream($"TrainingService.Engine.Data.BuiltIn.{file}")
        ?? throw new InvalidOperationException($"the built-in dataset file {file} is missing from the engine assembly");
}
