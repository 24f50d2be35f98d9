using System.Net;
using System.Text;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Streaming;

namespace CdnProxy.Server.Origins.Http;

/// <summary>
/// Originals behind an HTTP(S) base URL. Only the body is kept: no origin header ever reaches a client. Addresses are
/// checked at connect time by <see cref="OriginConnector"/>; redirects are followed here, at most
/// <see cref="MaxRedirects"/>, each one re-checked against the scheme rules and <c>AllowedHosts</c>. Files sent as
/// stored are streamed through <see cref="OriginForwarder"/> on the same handler, redirects followed the same way.
/// </summary>
public sealed class HttpOriginStore : IOriginStore, IStreamingOrigin
{
    /// <inheritdoc />
    public string Kind => "http";

    public const int MaxRedirects = 3;

    private readonly IHttpClientFactory _clients;
    private readonly string _clientName;
    private readonly Uri _baseUrl;
    private readonly OriginHostList _allowedHosts;
    private readonly HttpOriginOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OriginForwarder _forwarder;

    public HttpOriginStore(HttpOriginOptions options, IHttpClientFactory clients, OriginForwarder forwarder, TimeProvider time, ILogger<HttpOriginStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clients = clients;
        _forwarder = forwarder;
        _clientName = options.AllowPrivateNetworks ? OriginHttpClients.PrivateAllowed : OriginHttpClients.PublicOnly;
        _baseUrl = NormaliseBase(new Uri(options.BaseUrl!, UriKind.Absolute));
        _allowedHosts = new OriginHostList(options.AllowedHosts);
        _time = time;
        _logger = logger;
    }

    public override string ToString() => "http " + _baseUrl.GetLeftPart(UriPartial.Authority);

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        if (UrlFor(filePath) is not { } url)
        {
            return null;
        }

        using var total = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        try
        {
            return await FetchFollowingRedirectsAsync(url, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginTimeout, null);
        }
        catch (HttpRequestException e) when (e.InnerException is OriginAddressRefusedException refused)
        {
            OriginLog.Refused(_logger, ToString(), filePath, refused.Message);
            throw new CdnException(CdnErrorKind.OriginRefused, "The original was not found");
        }
        catch (HttpRequestException e) when (e.InnerException is TimeoutException)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginTimeout, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginFailed, e);
        }
    }

    public async Task<bool> StreamAsync(StoredFileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (UrlFor(request.FilePath) is not { } url)
        {
            return false;
        }

        // HTTP origins hold no access records: their files are public (the cloud's own signing policy still applies).
        var settings = new ForwardSettings(
            _clientName,
            TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds),
            OriginPaceLimits.Of(_options, stall: TimeSpan.FromSeconds(_options.TimeoutSeconds)),
            response => request.Headers.Apply(response, request.FilePath, AssetAccess.PublicRead));
        for (var hop = 0; ; hop++)
        {
            var outcome = await _forwarder.ForwardAsync(request.Context, url, settings, cancellationToken).ConfigureAwait(false);
            switch (outcome.Result)
            {
                case ForwardResult.Sent or ForwardResult.ClientGone:
                    return true;
                case ForwardResult.Cut:
                    OriginLog.RelayCut(_logger, ToString(), request.FilePath, outcome.Error?.Message);
                    return true;
                case ForwardResult.NotFound:
                    return false;
                case ForwardResult.Redirected when hop < MaxRedirects:
                    try
                    {
                        url = RedirectTarget(url, outcome.Location);
                    }
                    catch (HttpRequestException e)
                    {
                        throw OriginForwarder.Failure(new(e.InnerException is OriginAddressRefusedException ? ForwardResult.Refused : ForwardResult.Failed, Error: e), _logger, ToString(), request.FilePath);
                    }

                    continue;
                default:
                    throw OriginForwarder.Failure(outcome, _logger, ToString(), request.FilePath);
            }
        }
    }

    /// <summary>
    /// The URL of <paramref name="filePath"/>: each segment percent-encoded below the base URL's path, or null for a
    /// path that could step out of it (empty, <c>.</c> or <c>..</c> segments, backslashes, NUL).
    /// </summary>
    public Uri? UrlFor(string filePath)
    {
        if (!StoragePath.IsSafeRelative(filePath))
        {
            return null;
        }

        var path = new StringBuilder(_baseUrl.AbsolutePath);
        foreach (var segment in filePath.Split('/'))
        {
            path.Append(Uri.EscapeDataString(segment)).Append('/');
        }

        path.Length--;
        return new Uri(_baseUrl.GetLeftPart(UriPartial.Authority) + path, UriKind.Absolute);
    }

    private async Task<OriginObject?> FetchFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", "image/*, */*;q=0.5");
            request.Headers.TryAddWithoutValidation("User-Agent", "CdnProxy");
            request.Options.Set(OriginConnector.ConnectTimeoutOption, TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds));

            using var client = _clients.CreateClient(_clientName);
            client.Timeout = Timeout.InfiniteTimeSpan;
            using var response = await SendWithFirstByteBudgetAsync(client, request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }

            if (IsRedirect(response.StatusCode))
            {
                if (hop == MaxRedirects)
                {
                    throw new HttpRequestException("The origin redirected more than " + MaxRedirects + " times.");
                }

                url = RedirectTarget(url, response.Headers.Location);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var failure = new HttpRequestException($"The origin answered {(int)response.StatusCode}.", null, response.StatusCode);
                if (OriginRetryAfter.Of(response, _time.GetUtcNow()) is { } wait)
                {
                    OriginLog.Throttled(_logger, ToString(), (int)response.StatusCode, wait.TotalSeconds);
                    throw new CdnException(CdnErrorKind.OriginThrottled, "The origin asked us to retry later", failure) { RetryAfter = wait, CauseLogged = true };
                }

                throw failure;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await CappedBodyReader.ReadAsync(
                    body, response.Content.Headers.ContentLength, _options.MaxBytes, response.Content.Headers.LastModified, AssetAccess.PublicRead, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendWithFirstByteBudgetAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var firstByte = new CancellationTokenSource(TimeSpan.FromSeconds(_options.FirstByteTimeoutSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, firstByte.Token);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (firstByte.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException("The origin sent no response headers in time.", new TimeoutException(e.Message, e));
        }
    }

    private Uri RedirectTarget(Uri current, Uri? location)
    {
        if (location is null)
        {
            throw new HttpRequestException("The origin redirected without a Location.");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(current, location);
        var schemeAllowed = target.Scheme == Uri.UriSchemeHttps || (target.Scheme == Uri.UriSchemeHttp && current.Scheme == Uri.UriSchemeHttp);
        if (!schemeAllowed || target.UserInfo.Length > 0 || !MayRedirectTo(target))
        {
            throw new HttpRequestException("The origin redirected to a URL this origin may not follow.",
                new OriginAddressRefusedException("Redirect target refused by scheme or AllowedHosts."));
        }

        return target;
    }

    /// <summary>
    /// A listed host, or any host when none is listed; but an origin allowed on private networks follows an unlisted
    /// host only on its own base URL's scheme, host and port: a redirect must not turn it into a proxy for every
    /// service next to it.
    /// </summary>
    private bool MayRedirectTo(Uri target)
    {
        if (_options.AllowPrivateNetworks && !_allowedHosts.Lists(target.IdnHost))
        {
            return string.Equals(target.GetLeftPart(UriPartial.Authority), _baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
        }

        return _allowedHosts.Allows(target.IdnHost);
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static Uri NormaliseBase(Uri baseUrl) =>
        baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath + "/" }.Uri;
}
