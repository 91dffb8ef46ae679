using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Tensors;

public sealed class ShapeTests
{
    [Fact]
    public void AFlatShapeIsItsSizeAndAnImageIsChannelsByHeightByWidth()
    {
        Assert.Equal((784, 1, 1), (Shape.Flat(784).Channels, Shape.Flat(784).Height, Shape.Flat(784).Width));
        Assert.True(Shape.Flat(784).IsFlat);
        Assert.Equal("784", Shape.Flat(784).ToString());
        var image = new Shape(1, 28, 28);
        Assert.Equal(784, image.Size);
        Assert.False(image.IsFlat);
        Assert.Equal("1×28×28", image.ToString());
        Assert.NotEqual(Shape.Flat(784), image); // the same floats per sample, not the same shape
    }

    [Fact]
    public void SizesMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(3, 0, 4));
}
