using System.IO.Compression;
using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;

namespace TrainingService.Api.Datasets;

/// <summary>
/// A <c>.zip</c> of class folders as an image set. Its top-level folders are the classes (sorted by name, ordinal);
/// every file below one is an image of that class, in any subfolder. One folder wrapping all of them (zipping the
/// folder rather than its contents) is looked through. Skipped: hidden entries (a name part starting with '.') and
/// macOS's <c>__MACOSX/</c>. Refused with the entry named: absolute paths or '..' parts (zip slip; nothing is ever
/// extracted, but such an archive is not what it claims), archives inside the archive, files that are not
/// <see cref="ImagePixels.Formats"/>, files outside a class folder, and anything over the <see cref="ImageZipLimits"/>.
/// </summary>
internal static class ImageZip
{
    private static readonly string[] ArchiveExtensions = [".zip", ".tar", ".gz", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".jar"];
    private const int NamedAtMost = 10;

    /// <summary>The set, or the form field and what is wrong.</summary>
    /// <remarks>Decoding is the long part (up to Training__MaxImageFiles images): <paramref name="cancellationToken"/> is
    /// checked before each image, so an upload whose client has gone stops within one image's decode.</remarks>
    public static (ImageSet? Set, string? Field, string? Error) Read(string zipPath, ImageRequest request, ImageZipLimits limits,
        CancellationToken cancellationToken = default)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException e) { return Fail("file", $"not a readable .zip archive: {e.Message}"); }
        using (zip)
        {
            var files = new List<(string Class, string Path, ZipArchiveEntry Entry)>();
            if (zip.Entries.Count > limits.MaxFiles * 2L + 1000)
                return Fail("file", $"the archive has {zip.Entries.Count} entries; at most {limits.MaxFiles} images are accepted (Training__MaxImageFiles)");
            long expanded = 0;
            var paths = new List<(string[] Parts, ZipArchiveEntry Entry)>();
            foreach (var entry in zip.Entries)
            {
                string full = entry.FullName.Replace('\\', '/');
                string[] parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (full.StartsWith('/') || parts.Any(p => p == "..") || (parts.Length > 0 && parts[0].Contains(':')))
                    return Fail("file", $"'{entry.FullName}' points outside the archive's folder (absolute or '..' paths are refused)");
                if (full.EndsWith('/') || parts.Length == 0) continue; // a folder
                if (parts[0] == "__MACOSX" || parts.Any(p => p.StartsWith('.'))) continue;
                if (ArchiveExtensions.Contains(Path.GetExtension(full).ToLowerInvariant()))
                    return Fail("file", $"'{full}' is an archive inside the archive; nested archives are refused: put its images in the class folders");
                expanded += entry.Length;
                paths.Add((parts, entry));
            }
            if (paths.Count > limits.MaxFiles)
                return Fail("file", $"the archive has {paths.Count} files; at most {limits.MaxFiles} images are accepted (Training__MaxImageFiles)");
            if (expanded > limits.MaxExpandedBytes)
                return Fail("file", $"the archive's files expand to {expanded} bytes; at most {limits.MaxExpandedBytes} are accepted (Training__MaxImageZipExpandedBytes)");

            // One folder around everything is the archive's folder, not a class.
            int skip = 0;
            while (paths.Count > 0 && paths.All(p => p.Parts.Length > skip + 2 && p.Parts[skip] == paths[0].Parts[skip])) skip++;
            var loose = paths.Where(p => p.Parts.Length - skip < 2).Select(p => p.Entry.FullName).ToList();
            if (loose.Count > 0)
                return Fail("file", $"images must be inside a folder named for their class (e.g. cats/1.png, dogs/2.jpg); {Named(loose)} {(loose.Count == 1 ? "is" : "are")} not");
            foreach (var (parts, entry) in paths) files.Add((parts[skip], string.Join('/', parts), entry));
            var classes = files.Select(f => f.Class).Distinct().Order(StringComparer.Ordinal).ToArray();
            if (classes.Length == 0)
                return Fail("file", "the archive has no class folders: put each class's images in a top-level folder named for the class (e.g. cats/1.png, dogs/2.jpg)");
            if (classes.Length == 1)
                return Fail("file", $"the archive has one class folder ('{classes[0]}'); a classifier needs at least two");
            if (classes.Length > ImageSetFile.MaxClasses)
                return Fail("file", $"the archive has {classes.Length} class folders; at most {ImageSetFile.MaxClasses}");

            int width = request.Width ?? ImageRequest.DefaultSide, height = request.Height ?? ImageRequest.DefaultSide;
            long sample = (long)width * height * (request.Channels ?? 3);
            if (sample * files.Count > limits.MaxSetBytes)
                return Fail(request.Width is null && request.Height is null ? "file" : "width",
                    $"{files.Count} images of {request.Channels ?? 3}×{height}×{width} are {sample * files.Count} bytes; at most {limits.MaxSetBytes} (Training__MaxImageSetBytes): send fewer or smaller images");

            files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            var decoded = new List<ImagePixels.Rgb>(files.Count);
            var notImages = new List<string>();
            foreach (var (_, path, entry) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] data = new byte[entry.Length];
                using (var stream = entry.Open())
                {
                    if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) != data.Length || stream.ReadByte() != -1)
                        return Fail("file", $"'{path}' does not hold the {entry.Length} bytes the archive declares");
                }
                if (data.Length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4)
                    return Fail("file", $"'{path}' is an archive inside the archive; nested archives are refused: put its images in the class folders");
                try
                {
                    if (ImagePixels.Decode(data, width, height, limits.MaxPixels) is { } rgb) decoded.Add(rgb);
                    else notImages.Add(path);
                }
                catch (ImagePixels.TooLargeException e)
                {
                    return Fail("file", $"'{path}' is {e.Message}; at most {limits.MaxPixels} pixels per image (Training__MaxImagePixels)");
                }
            }
            if (notImages.Count > 0)
                return Fail("file", $"{Named(notImages)} {(notImages.Count == 1 ? "is not an image" : "are not images")} ({ImagePixels.Formats})");

            int channels = request.Channels ?? (decoded.All(d => d.IsGrey) ? 1 : 3);
            var shape = new Shape(channels, height, width);
            var pixels = new byte[(long)files.Count * shape.Size];
            var labels = new byte[files.Count];
            for (int i = 0; i < files.Count; i++)
            {
                decoded[i].CopyTo(pixels.AsSpan(i * shape.Size, shape.Size), channels);
                labels[i] = (byte)Array.IndexOf(classes, files[i].Class);
            }
            return (new ImageSet(shape, pixels, labels, classes), null, null);
        }
    }

    private static string Named(List<string> names) =>
        string.Join(", ", names.Take(NamedAtMost).Select(n => $"'{n}'")) + (names.Count > NamedAtMost ? $" and {names.Count - NamedAtMost} more" : "");

    private static (ImageSet?, string?, string?) Fail(string field, string error) => (null, field, error);
}

/// <summary>Decoded images ready for <see cref="ImageSetFile.Write"/>.</summary>
internal sealed record ImageSet(Shape Shape, byte[] Pixels, byte[] Labels, string[] ClassNames);

/// <summary>The form fields of an image upload: the size every image is made (default <see cref="DefaultSide"/> square)
/// and its channels (1 grey, 3 colour; default 1 when every image is grey, else 3).</summary>
internal sealed record ImageRequest(int? Width, int? Height, int? Channels)
{
    public const int DefaultSide = 32;
    public const int MaxSide = 1024;
}

/// <summary>The <c>Training__MaxImage*</c> settings.</summary>
internal sealed record ImageZipLimits(int MaxFiles, long MaxExpandedBytes, long MaxPixels, long MaxSetBytes);
