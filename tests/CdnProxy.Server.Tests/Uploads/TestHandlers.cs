using System.Collections.Concurrent;
using System.Net;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>Sends requests for <paramref name="networkAuthority"/> (s3rver) over the network, everything else to the test server.</summary>
internal sealed class SplitHandler(HttpMessageHandler testServer, string networkAuthority) : DelegatingHandler(testServer)
{
    private readonly HttpMessageInvoker _network = new(new SocketsHttpHandler());

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.RequestUri!.Authority == networkAuthority ? _network.SendAsync(request, cancellationToken) : base.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Fails the first attempt of one part with a 503 (a flaky network or store), and records every part request.</summary>
internal sealed class FlakyPartHandler(int failingPart) : DelegatingHandler
{
    private int _failed;

    public ConcurrentQueue<int> PartAttempts { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Put && PartNumber(request.RequestUri!) is { } part)
        {
            PartAttempts.Enqueue(part);
            if (part == failingPart && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static int? PartNumber(Uri uri)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        return query.TryGetValue("partNumber", out var value) && int.TryParse(value, out var part) ? part : null;
    }
}
