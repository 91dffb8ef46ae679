using System.IO.Compression;

namespace TrainingService.Engine.Data;

/// <summary>
/// Reads IDX files (the MNIST format: big-endian magic <c>00 00 type ndims</c>, ndims big-endian sizes, then
/// the data), raw or gzip-compressed (detected by the 0x1f8b gzip magic, not by the file name, since downloads
/// are often renamed). Only unsigned bytes (type 0x08) in 1 dimension (labels) or 3 (images) are accepted:
/// that is all MNIST-style datasets use, and anything else is far more likely a wrong file than a new format.
/// </summary>
public static class IdxReader
{
    private const string Expected = "expected 0x00000801 (labels) or 0x00000803 (images)";

    public static (int[] Dims, byte[] Data) Read(string path)
    {
        using Stream stream = Open(path);
        return Read(stream, path, decompress: false);
    }

    /// <summary>An IDX file from a seekable stream (gzip detected as for a file); <paramref name="name"/> names it in errors.</summary>
    public static (int[] Dims, byte[] Data) Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, name, decompress: true);
    }

    private static (int[] Dims, byte[] Data) Read(Stream input, string path, bool decompress)
    {
        using Stream? gzip = decompress ? Decompressed(input) : null;
        Stream stream = gzip ?? input;
        try
        {
            int[] dims = ReadHeader(stream, path);
            long size = DataSize(dims, path);
            var data = new byte[size];
            int got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (got < data.Length)
                throw new DataFormatException(
                    $"{path}: truncated: the header declares {string.Join(" × ", dims)} = {size} data bytes, but only {got} follow");
            if (stream.ReadByte() != -1)
                throw new DataFormatException(
                    $"{path}: unexpected bytes after the {size} data bytes the header declares ({string.Join(" × ", dims)})");
            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path}: corrupt gzip data ({e.Message})");
        }
    }

    /// <summary>Only the dimensions, without reading the data: cheap enough for listing a data directory.</summary>
    internal static int[] ReadDims(string path)
    {
        using Stream stream = Open(path);
        try
        {
            return ReadHeader(stream, path);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path}: corrupt gzip data ({e.Message})");
        }
    }

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return (Stream?)Decompressed(file, leaveOpen: false) ?? file;
    }

    /// <summary>A decompressing view of a seekable stream that starts with the gzip magic, else null (the stream rewound).</summary>
    private static GZipStream? Decompressed(Stream stream, bool leaveOpen = true)
    {
        long start = stream.Position;
        int b0 = stream.ReadByte(), b1 = stream.ReadByte();
        stream.Position = start;
        return b0 == 0x1f && b1 == 0x8b ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen) : null;
    }

    private static int[] ReadHeader(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new DataFormatException($"{path}: truncated: {got} bytes, too short for the 4-byte IDX magic number");
        uint m = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] is not (1 or 3))
            throw new DataFormatException($"{path}: wrong magic number 0x{m:X8}, {Expected}");

        var dims = new int[magic[3]];
        Span<byte> size = stackalloc byte[4];
        for (int d = 0; d < dims.Length; d++)
        {
            if (stream.ReadAtLeast(size, 4, throwOnEndOfStream: false) < 4)
                throw new DataFormatException($"{path}: truncated inside the header (dimension {d + 1} of {dims.Length})");
            uint n = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(size);
            if (n > int.MaxValue)
                throw new DataFormatException($"{path}: dimension {d + 1} is {n}, which is not a plausible size");
            dims[d] = (int)n;
        }
        return dims;
    }

    private static long DataSize(int[] dims, string path)
    {
        long size = 1;
        foreach (int d in dims)
        {
            size *= d;
            if (size > Array.MaxLength)
                throw new DataFormatException($"{path}: the header declares {string.Join(" × ", dims)} bytes, more than an array can hold");
        }
        return size;
    }
}
