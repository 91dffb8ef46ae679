using System.Buffers.Binary;
using System.Text;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// An image set as one file (<c>uploads/NAME.images</c>), made at upload from a folder of images and read without any
/// image library. Three sections back to back, all integers big-endian:
/// <list type="number">
/// <item>the images as IDX: magic <c>00 00 08 04</c>, N, C, H, W, then N×C×H×W unsigned bytes (sample, channel, row, column);</item>
/// <item>the labels as IDX: magic <c>00 00 08 01</c>, N, then N bytes (the class index, so at most <see cref="MaxClasses"/> classes);</item>
/// <item>the class names: their count, then each as a byte length and UTF-8 text.</item>
/// </list>
/// Loaded like MNIST: pixel / 255f, Shape C×H×W.
/// </summary>
public static class ImageSetFile
{
    public const string Extension = ".images";
    public const int MaxClasses = 256;
    private const int MaxNameBytes = 1024;

    /// <summary>Writes the set; <paramref name="pixels"/> is N×C×H×W, <paramref name="labels"/> N class indices.</summary>
    public static void Write(Stream output, Shape shape, ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels, IReadOnlyList<string> classNames)
    {
        if (classNames.Count is < 2 or > MaxClasses) throw new ArgumentException($"2..{MaxClasses} classes expected, got {classNames.Count}", nameof(classNames));
        if ((long)labels.Length * shape.Size != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixel bytes for {labels.Length} images of {shape}", nameof(pixels));
        void Int(int v)
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, v);
            output.Write(word);
        }
        output.Write([0, 0, 8, 4]);
        Int(labels.Length); Int(shape.Channels); Int(shape.Height); Int(shape.Width);
        output.Write(pixels);
        output.Write([0, 0, 8, 1]);
        Int(labels.Length);
        output.Write(labels);
        Int(classNames.Count);
        foreach (string name in classNames)
        {
            byte[] text = Encoding.UTF8.GetBytes(name);
            Int(text.Length);
            output.Write(text);
        }
    }

    /// <summary>The set as a dataset named <paramref name="name"/>; <paramref name="source"/> names the file in errors.</summary>
    public static Dataset Load(string path, string name, string source)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (count, shape) = ReadHeader(stream, source);
        int features = shape.Size;
        var pixels = new byte[(long)count * features];
        Exactly(stream, pixels, source, "images");
        Span<byte> magic = stackalloc byte[4];
        Exactly(stream, magic, source, "labels");
        if (!magic.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 8, 1]) || ReadInt(stream, source) != count)
            throw new DataFormatException($"{source}: the labels section does not follow the {count} images");
        var labels = new byte[count];
        Exactly(stream, labels, source, "labels");
        string[] names = ReadNames(stream, source);
        int classes = names.Length;

        var x = new float[pixels.Length];
        for (int i = 0; i < x.Length; i++) x[i] = pixels[i] / 255f;
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (labels[i] >= classes) throw new DataFormatException($"{source}: label {labels[i]} of image {i} is not one of the {classes} classes");
            y[i] = labels[i];
        }
        return new Dataset { Name = name, X = x, Y = y, Count = count, Features = features, Classes = classes, ClassNames = names, Shape = shape };
    }

    /// <summary>Image count, shape and class names without reading the pixels (for listings and for preparing images to predict).</summary>
    public static (int Count, Shape Shape, string[] ClassNames) Describe(string path, string source)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 256);
        var (count, shape) = ReadHeader(stream, source);
        stream.Seek((long)count * shape.Size + 8 + count, SeekOrigin.Current);
        return (count, shape, ReadNames(stream, source));
    }

    private static string[] ReadNames(Stream stream, string source)
    {
        int classes = ReadInt(stream, source);
        if (classes is < 2 or > MaxClasses) throw new DataFormatException($"{source}: {classes} classes, expected 2..{MaxClasses}");
        var names = new string[classes];
        for (int c = 0; c < classes; c++)
        {
            int length = ReadInt(stream, source);
            if (length is < 0 or > MaxNameBytes) throw new DataFormatException($"{source}: class name {c} is {length} bytes long");
            var text = new byte[length];
            Exactly(stream, text, source, "class names");
            names[c] = Encoding.UTF8.GetString(text);
        }
        return names;
    }

    private static (int Count, Shape Shape) ReadHeader(Stream stream, string source)
    {
        Span<byte> magic = stackalloc byte[4];
        Exactly(stream, magic, source, "header");
        if (!magic.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 8, 4]))
            throw new DataFormatException($"{source}: not an image set (magic 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}, expected 0x00000804)");
        int n = ReadInt(stream, source), c = ReadInt(stream, source), h = ReadInt(stream, source), w = ReadInt(stream, source);
        if (n < 1 || c < 1 || h < 1 || w < 1 || (long)n * c * h * w > Array.MaxLength)
            throw new DataFormatException($"{source}: implausible size {n}×{c}×{h}×{w}");
        return (n, new Shape(c, h, w));
    }

    private static int ReadInt(Stream stream, string source)
    {
        Span<byte> word = stackalloc byte[4];
        Exactly(stream, word, source, "header");
        return BinaryPrimitives.ReadInt32BigEndian(word);
    }

    private static void Exactly(Stream stream, Span<byte> buffer, string source, string section)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw new DataFormatException($"{source}: truncated in the {section}");
    }
}
