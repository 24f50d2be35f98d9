namespace CdnProxy.Server.Streaming;

/// <summary>
/// An origin that can send a stored file to the client as it is: streamed in small buffers (never read whole),
/// honouring <c>Range</c> and the conditional headers. Each origin kind implements it in its own folder.
/// </summary>
public interface IStreamingOrigin
{
    /// <summary>
    /// Sends the file (status, headers, body). Returns false, having written nothing, when the file does not exist.
    /// Refusals and origin failures before the first byte is written are thrown as <see cref="Core.CdnException"/>s;
    /// the file's access is checked (<see cref="Core.Origins.PrivateFiles"/>) before any header is sent.
    /// </summary>
    Task<bool> StreamAsync(StoredFileRequest request, CancellationToken cancellationToken);
}

/// <summary>One file to stream.</summary>
/// <param name="Context">The client's request and response.</param>
/// <param name="FilePath">The file's path in the origin (validated by the resolver).</param>
/// <param name="HasValidSignature">True when the URL carried a valid signature (private files need one).</param>
/// <param name="Headers">Our own response headers (caching, safety, disposition).</param>
public sealed record StoredFileRequest(HttpContext Context, string FilePath, bool HasValidSignature, StoredFileHeaders Headers);
