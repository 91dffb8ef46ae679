using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace TrainingService.Api.Tests;

/// <summary>Image files and zips of them, made in memory for the upload and prediction tests.</summary>
public static class ImageZip
{
    /// <summary>An image of one colour, or with <paramref name="right"/> its right half in that colour.</summary>
    public static byte[] Solid(string format, int width, int height, Rgb24 colour, Rgb24? right = null)
    {
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = right is { } r && x >= width / 2 ? r : colour;
        return Encode(image, format);
    }

    /// <summary>An animated GIF: one frame per colour.</summary>
    public static byte[] Animated(int width, int height, params Rgb24[] frames)
    {
        using var image = new Image<Rgb24>(width, height, frames[0]);
        foreach (var colour in frames.Skip(1))
        {
            using var frame = new Image<Rgb24>(width, height, colour);
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }
        return Encode(image, "gif");
    }

    /// <summary>A grey image (stored as 8-bit luminance where the format has it).</summary>
    public static byte[] Grey(string format, int width, int height, byte value)
    {
        using var image = new Image<L8>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new L8(value);
        return Encode(image, format);
    }

    private static byte[] Encode(Image image, string format)
    {
        using var stream = new MemoryStream();
        switch (format)
        {
            case "png": image.SaveAsPng(stream); break;
            case "jpg": image.SaveAsJpeg(stream); break;
            case "bmp": image.SaveAsBmp(stream); break;
            case "gif": image.SaveAsGif(stream); break;
            default: throw new ArgumentException(format);
        }
        return stream.ToArray();
    }

    public static byte[] Zip(params (string Path, byte[] Data)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (path, data) in entries)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(data);
            }
        return stream.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] zip, string name, int? width = null, int? height = null, int? channels = null, string fileName = "images.zip")
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", fileName }, { new StringContent(name), "name" } };
        if (width is { } w) form.Add(new StringContent(w.ToString()), "width");
        if (height is { } h) form.Add(new StringContent(h.ToString()), "height");
        if (channels is { } c) form.Add(new StringContent(c.ToString()), "channels");
        return form;
    }

    /// <summary>Two classes told apart by brightness: <paramref name="perClass"/> small PNGs each, with some texture.</summary>
    public static byte[] BrightAndDark(int perClass = 12)
    {
        var entries = new List<(string, byte[])>();
        for (int i = 0; i < perClass; i++)
        {
            byte b = (byte)(200 + i * 3), d = (byte)(20 + i * 3);
            entries.Add(($"bright/{i}.png", Solid("png", 6 + i % 3, 6, new Rgb24(b, b, (byte)(b - 10)), new Rgb24((byte)(b - 30), b, b))));
            entries.Add(($"dark/{i}.png", Solid("png", 6, 5 + i % 4, new Rgb24(d, (byte)(d + 10), d), new Rgb24(d, d, (byte)(d + 25)))));
        }
        return Zip(entries.ToArray());
    }
}
