using CdnProxy.Server.Http;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// Puts an <see cref="OriginPace"/> around one origin call: the wait for the response headers, then every read of its
/// body (the body is handed on in a <see cref="PacedStream"/>). Only these waits are timed; the forwarder's writes to
/// the client happen between them.
/// </summary>
internal sealed class PacedOriginHandler(HttpMessageHandler origin, OriginPace pace) : DelegatingHandler(origin)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        pace.BeginWait();
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pace.EndWait(0);
        }

        var content = response.Content;
        // The response was read up to its headers only: this is the connection's stream, nothing is buffered.
        var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var paced = new StreamContent(new PacedStream(body, pace));
        foreach (var header in content.Headers)
        {
            paced.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = paced;
        return response;
    }

    /// <summary>The origin's body, each read timed by the pace.</summary>
    private sealed class PacedStream(Stream inner, OriginPace pace) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = 0;
            pace.BeginWait();
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                return read;
            }
            finally
            {
                pace.EndWait(read);
            }
        }

        public override int Read(Span<byte> buffer)
        {
            var read = 0;
            pace.BeginWait();
            try
            {
                read = inner.Read(buffer);
                return read;
            }
            finally
            {
                pace.EndWait(read);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
