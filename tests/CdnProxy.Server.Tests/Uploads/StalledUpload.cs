using System.Net;
using System.Text;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// A multipart upload that sends its fields and the first <c>sent</c> bytes of the file, then hangs (chunked, no
/// length), like a client on a slow link when the server dies.
/// </summary>
internal sealed class StalledUpload(IReadOnlyList<(string Name, string Value)> fields, byte[] file, int sent) : HttpContent
{
    private const string Boundary = "stalled-upload-boundary";
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops hanging (after the server was killed): the request then fails at once.</summary>
    public void Abandon() => _never.TrySetException(new IOException("The test abandoned the upload."));

    public StalledUpload WithHeaders()
    {
        Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + Boundary);
        return this;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var head = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            head.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        }

        head.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.tiff\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()));
        for (var at = 0; at < sent; at += 64 * 1024)
        {
            await stream.WriteAsync(file.AsMemory(at, Math.Min(64 * 1024, sent - at)));
            await stream.FlushAsync();
        }

        // Hangs until the server dies (the connection fails) or, at worst, gives up after a while.
        await _never.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
