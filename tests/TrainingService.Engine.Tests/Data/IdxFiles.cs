using System.Buffers.Binary;
using System.IO.Compression;

namespace TrainingService.Engine.Tests.Data;

/// <summary>Builds small IDX files in memory for reader tests.</summary>
internal static class IdxFiles
{
    public static byte[] Build(uint magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Labels(params byte[] labels) => Build(0x801, [labels.Length], labels);

    public static byte[] Images(int count, int rows, int cols, Func<int, byte> pixel)
    {
        var data = new byte[count * rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = pixel(i);
        return Build(0x803, [count, rows, cols], data);
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(raw);
        return output.ToArray();
    }
}
