using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Data;

/// <summary>A sample's shape travels with the data: tables are flat, MNIST is 1×28×28, and splits and standardising keep it.</summary>
public sealed class DatasetShapeTests
{
    [Fact]
    public void ATableIsFlatAndAnImageSetKeepsItsShapeThroughSplitsAndStandardising()
    {
        var table = SyntheticDatasets.Generate("moons", 40, 0.1, 1);
        Assert.Equal(Shape.Flat(2), table.Shape);

        var images = new Dataset
        {
            Name = "pics", X = Enumerable.Range(0, 10 * 12).Select(i => (float)(i % 7)).ToArray(), Y = Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray(),
            Count = 10, Features = 12, Classes = 2, Shape = new Shape(3, 2, 2),
        };
        var split = DatasetSplitter.Split(images, 0.2, 0.2, shuffle: true, seed: 3);
        Assert.All(new[] { split.Train, split.Validation, split.Test }, d => Assert.Equal(new Shape(3, 2, 2), d.Shape));
        Assert.Equal(new Shape(3, 2, 2), Standardizer.Fit(split.Train).Apply(split.Train).Shape);
    }

    [Fact]
    public void MnistIsOneChannelOf28By28()
    {
        var mnist = MnistLoader.Load(Path.Combine(SharedPaths.Datasets, "mnist"));
        Assert.Equal(new Shape(1, 28, 28), mnist.Shape);
        Assert.Equal(mnist.Features, mnist.Shape.Size);
    }
}
