namespace CdnProxy.Server.Http;

/// <summary>
/// A part of a request body, read-only: a read that fails (a multipart body cut short, a boundary that never comes, a
/// client gone) throws <see cref="InvalidDataException"/>, so callers tell a bad body (400) from their own I/O, such as
/// staging to disk, which keeps its <see cref="IOException"/> (500). Kestrel's own refusals pass through as they are
/// (<see cref="BadHttpRequestException"/>: a body over the size cap is 413, see <c>UploadApiCall.Failure</c>).
/// </summary>
internal sealed class RequestBodyStream(Stream body) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return body.Read(buffer);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    /// <summary>Runs a read of the request body (e.g. the next multipart section) with the same rule.</summary>
    public static async Task<T> ReadingAsync<T>(Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Malformed(e);
        }
    }

    private static InvalidDataException Malformed(IOException e) => new("The request body is malformed or incomplete", e);
}
