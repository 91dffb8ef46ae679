using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class IdxReaderTests
{
    [Fact]
    public void ReadsRawOneAndThreeDimensionalFiles()
    {
        using var dir = new TempDirectory();
        var (ldims, labels) = IdxReader.Read(dir.Write("labels", IdxFiles.Labels(3, 1, 4)));
        Assert.Equal([3], ldims);
        Assert.Equal([3, 1, 4], labels);

        var (idims, pixels) = IdxReader.Read(dir.Write("images", IdxFiles.Images(2, 3, 4, i => (byte)(i * 10))));
        Assert.Equal([2, 3, 4], idims);
        Assert.Equal(24, pixels.Length);
        Assert.Equal(230, pixels[23]);
    }

    [Fact]
    public void GzipIsDetectedByContentNotByName()
    {
        using var dir = new TempDirectory();
        byte[] raw = IdxFiles.Images(2, 3, 4, i => (byte)i);
        var (dims, data) = IdxReader.Read(dir.Write("no-extension", IdxFiles.Gzip(raw)));
        Assert.Equal([2, 3, 4], dims);
        Assert.Equal(raw[16..], data);
    }

    [Fact]
    public void MnistT10kFilesHaveTheExpectedShapes()
    {
        string mnist = Path.Combine(SharedPaths.Datasets, "mnist");
        var (idims, pixels) = IdxReader.Read(Path.Combine(mnist, "t10k-images-idx3-ubyte.gz"));
        var (ldims, labels) = IdxReader.Read(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal([10000, 28, 28], idims);
        Assert.Equal(10000 * 784, pixels.Length);
        Assert.Equal([10000], ldims);
        Assert.Equal(7, labels[0]);
    }

    [Theory]
    [InlineData(0x00000D03u)] // float data
    [InlineData(0x00000802u)] // two dimensions
    [InlineData(0x01000803u)] // first bytes not zero
    public void WrongMagicNumberNamesTheFileAndTheExpectedValues(uint magic)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("bad-magic", IdxFiles.Build(magic, [1, 1, 1], [0]));
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.Equal(
            $"{path}: wrong magic number 0x{magic:X8}, expected 0x00000801 (labels) or 0x00000803 (images)", e.Message);
    }

    [Fact]
    public void TruncatedDataNamesTheFileAndTheSizes()
    {
        using var dir = new TempDirectory();
        byte[] full = IdxFiles.Images(2, 3, 4, i => 1);
        string path = dir.Write("short", full[..^5]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.Equal($"{path}: truncated: the header declares 2 × 3 × 4 = 24 data bytes, but only 19 follow", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    public void TruncatedHeaderIsAnError(int length)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("tiny", IdxFiles.Images(1, 2, 2, i => 1)[..length]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.StartsWith($"{path}: truncated", e.Message);
    }

    [Fact]
    public void TruncatedGzipIsAnError()
    {
        using var dir = new TempDirectory();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(50, 28, 28, i => (byte)(i * 7919 % 251)));
        string path = dir.Write("cut.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.StartsWith($"{path}:", e.Message);
    }

    [Fact]
    public void CorruptGzipIsAnErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Labels(1, 2, 3));
        for (int i = 10; i < gz.Length; i++) gz[i] = 0xFF; // keep the gzip header, ruin the deflate stream
        string path = dir.Write("garbage.gz", gz);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.StartsWith($"{path}:", e.Message);
    }

    [Fact]
    public void TrailingBytesAreAnError()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("long", [.. IdxFiles.Labels(1, 2), 9]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.Contains("unexpected bytes after the 2 data bytes", e.Message);
    }
}
