using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Datasets;

/// <summary>
/// The multipart form of <c>POST /api/datasets</c>, read section by section: the <c>file</c> goes straight to a
/// temporary file in the uploads folder (never into memory, and refused at the first byte past the limit), the text
/// fields are capped at <see cref="MaxFieldChars"/>. Disposing removes the temporary file unless it was kept.
/// </summary>
internal sealed class UploadForm : IDisposable
{
    private const int MaxFieldChars = 1024;

    public string? Name { get; private set; }
    public string? Target { get; private set; }
    /// <summary>An image zip's <c>width</c>, <c>height</c> and <c>channels</c> fields, as sent (parsed by <see cref="ImageZipUpload"/>).</summary>
    public Dictionary<string, string> ImageFields { get; } = [];
    public string? FileName { get; private set; }
    private TempFile? _file;

    /// <summary>The uploaded file, in the uploads folder (there is one in every form <see cref="ReadAsync"/> returns).</summary>
    public TempFile File => _file!;

    public static async Task<(UploadForm? Form, ValidationProblem? Problem)> ReadAsync(
        HttpRequest request, string uploads, long limit, CancellationToken ct, long? zipLimit = null)
    {
        string? boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return (null, Problems.Invalid("file", "send multipart/form-data with the CSV in a field named 'file'"));

        var form = new UploadForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                string field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition() && field == "file" && form._file is null)
                {
                    form.FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    form._file = new TempFile(uploads);
                    long fileLimit = zipLimit is { } z && ImageZipUpload.IsZip(form.FileName) ? z : limit;
                    if (!await CopyAsync(section.Body, form.File.Path, fileLimit, ct))
                    {
                        form.Dispose();
                        return (null, Problems.Invalid("file", $"the file is larger than the limit of {fileLimit} bytes"));
                    }
                }
                else if (disposition.IsFormDisposition() && field is "name" or "target" or "width" or "height" or "channels")
                {
                    if (await ReadFieldAsync(section.Body, ct) is not { } value)
                    {
                        form.Dispose();
                        return (null, Problems.Invalid(field, $"longer than {MaxFieldChars} characters"));
                    }
                    if (field == "name") form.Name ??= value;
                    else if (field == "target") form.Target ??= value;
                    else form.ImageFields.TryAdd(field, value);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
        {
            form.Dispose();
            return (null, Problems.Invalid("file", $"the upload could not be read as multipart/form-data: {e.Message}"));
        }
        catch
        {
            form.Dispose();
            throw;
        }
        if (form._file is null)
        {
            form.Dispose();
            return (null, Problems.Invalid("file", "required: the CSV file in a field named 'file'"));
        }
        return (form, null);
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; false (the file left for Dispose) when there are more.
    /// A failing write (a full disk) is the server's problem, not a bad form: it leaves as a <see cref="StorageException"/>.</summary>
    private static async Task<bool> CopyAsync(Stream body, string path, long limit, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, useAsync: true);
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
                if (total > limit) return false;
                await Store(file.WriteAsync(buffer.AsMemory(0, n), ct));
            }
            return true;
        }
        catch (IOException e) when (file is null)
        {
            throw new StorageException(e);
        }
        finally
        {
            if (file is not null) await Store(file.DisposeAsync());
        }
    }

    private static async ValueTask Store(ValueTask write)
    {
        try { await write; }
        catch (IOException e) { throw new StorageException(e); }
    }

    /// <summary>Writing the upload failed; answered 500 by the exception handler (the message names no path).</summary>
    private sealed class StorageException(IOException inner) : Exception("the upload could not be stored", inner);

    /// <summary>The field's text, or null when it is longer than <see cref="MaxFieldChars"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        int read = 0, n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        return read > MaxFieldChars ? null : new string(buffer, 0, read);
    }

    public void Dispose() => _file?.Dispose();
}
