using CdnProxy.Core;
using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Http;

/// <summary>Reads a form body (URL-encoded or multipart) with the errors a client can cause mapped to their kinds.</summary>
internal static class FormBody
{
    /// <summary>
    /// The form. A multipart body without a boundary, or cut short before its closing boundary, is
    /// <see cref="CdnErrorKind.InvalidArgument"/> (400); one over the form's limits (size, fields) is
    /// <see cref="CdnErrorKind.UploadTooLarge"/> (413).
    /// </summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MultipartBoundary(request.ContentType) is { Length: 0 })
        {
            throw Malformed(null);
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new CdnException(CdnErrorKind.UploadTooLarge, "The body is larger than this server accepts", e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested && IsTheRequests(e))
        {
            throw Malformed(e);
        }
    }

    /// <summary>A file of the form in one array of its length (no growing buffer, no copy); the form's limits bound it.</summary>
    public static async Task<byte[]> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = new byte[file.Length];
        var stream = file.OpenReadStream();
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return bytes;
    }

    /// <summary>
    /// A body cut short or malformed fails in managed code (the multipart reader), with the runtime's generic I/O error
    /// code; Kestrel's own refusals (<see cref="BadHttpRequestException"/>, such as a body over the size cap: 413) pass
    /// through to <c>UploadApiCall.Failure</c>. A large form is buffered to a temporary file: a failure of that disk (full, read-only) comes
    /// from the operating system with its own error number, and stays the server's error (500), not the client's.
    /// </summary>
    private static bool IsTheRequests(IOException e) => e is not BadHttpRequestException && e.HResult == ManagedIoError;

    // COR_E_IO: the HResult of an IOException raised by managed code without an OS error behind it.
    private const int ManagedIoError = unchecked((int)0x80131620);

    /// <summary>
    /// The boundary of a <c>multipart/form-data</c> content type, unquoted (empty when it has none); null for any other
    /// type.
    /// </summary>
    public static string? MultipartBoundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? string.Empty
            : null;

    private static CdnException Malformed(Exception? cause) =>
        new(CdnErrorKind.InvalidArgument, "The form body is malformed or incomplete", cause);
}
