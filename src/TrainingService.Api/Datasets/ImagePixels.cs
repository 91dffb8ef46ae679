using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TrainingService.Engine.Tensors;

namespace TrainingService.Api.Datasets;

/// <summary>
/// One image file as the bytes of a sample, the same for an image set's upload and for a prediction: decoded (PNG,
/// JPEG, BMP or GIF, its first frame; alpha dropped), stretched to width × height (bicubic), then as channels planes
/// (C×H×W): 3 = R, G, B; 1 = ITU-R BT.601 luma, round(0.299 R + 0.587 G + 0.114 B).
/// </summary>
internal static class ImagePixels
{
    public const string Formats = "PNG, JPEG, BMP or GIF";

    /// <summary>Only the four formats (ImageSharp's default configuration also reads TGA, TIFF, WebP and PBM), and of a
    /// GIF only its first frame: an animation of many large frames is never decoded.</summary>
    private static readonly Configuration Decoders = Create();

    private static Configuration Create()
    {
        var c = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(), new BmpConfigurationModule());
        c.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return c;
    }

    /// <summary>The image resized to <paramref name="width"/> × <paramref name="height"/> as R, G, B bytes (row-major,
    /// interleaved); null when the bytes are not an image in one of the <see cref="Formats"/>. An image of more than
    /// <paramref name="maxPixels"/> pixels is refused from its header, before it is decoded.</summary>
    public static Rgb? Decode(byte[] data, int width, int height, long maxPixels)
    {
        try
        {
            var info = Image.Identify(Decoders, data, out _);
            if (info is null) return null;
            if ((long)info.Width * info.Height > maxPixels) throw new TooLargeException(info.Width, info.Height);
            using var image = Image.Load<Rgb24>(Decoders, data);
            while (image.Frames.Count > 1) image.Frames.RemoveFrame(1);
            if (image.Width != width || image.Height != height) image.Mutate(x => x.Resize(width, height));
            var rgb = new byte[width * height * 3];
            image.CopyPixelDataTo(rgb);
            return new Rgb(rgb, width, height);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Decoded pixels, R, G, B interleaved, row-major.</summary>
    public sealed record Rgb(byte[] Pixels, int Width, int Height)
    {
        public bool IsGrey
        {
            get
            {
                for (int i = 0; i < Pixels.Length; i += 3)
                    if (Pixels[i] != Pixels[i + 1] || Pixels[i] != Pixels[i + 2]) return false;
                return true;
            }
        }

        /// <summary>Writes the image as <paramref name="channels"/> planes (C×H×W) into <paramref name="destination"/>.</summary>
        public void CopyTo(Span<byte> destination, int channels)
        {
            int plane = Width * Height;
            for (int p = 0; p < plane; p++)
            {
                byte r = Pixels[3 * p], g = Pixels[3 * p + 1], b = Pixels[3 * p + 2];
                if (channels == 1) destination[p] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
                else (destination[p], destination[plane + p], destination[2 * plane + p]) = (r, g, b);
            }
        }

        /// <summary>The sample as the engine sees it: <see cref="CopyTo"/>, each byte / 255.</summary>
        public float[] ToRow(Shape shape)
        {
            var bytes = new byte[shape.Size];
            CopyTo(bytes, shape.Channels);
            var row = new float[bytes.Length];
            for (int i = 0; i < row.Length; i++) row[i] = bytes[i] / 255f;
            return row;
        }
    }

    public sealed class TooLargeException(int width, int height) : Exception($"{width}×{height} pixels")
    {
        public long Pixels => (long)width * height;
    }
}
