using System.Net.Http.Headers;

namespace CdnProxy.Urls.Client;

/// <summary>
/// What the API clients (<see cref="Predictions.Predictions"/>, <see cref="Uploads.Uploader"/>) share: the server, the
/// API key sent as a bearer token, the HTTP client and the clock, and one rule for which failures are worth a retry.
/// </summary>
internal sealed class ApiConnection
{
    /// <summary>The longest part of an error answer's body an exception repeats.</summary>
    public const int MaxErrorBodyLength = 2000;

    private readonly Uri _server;
    private readonly string _apiKey;

    public ApiConnection(HttpClient http, Uri server, string apiKey, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        Http = http;
        // Relative paths resolve against the last '/': without one, https://example.com/cdn would lose its "cdn".
        _server = server.AbsolutePath.EndsWith('/') ? server : new Uri(server.GetLeftPart(UriPartial.Path) + "/");
        _apiKey = apiKey;
        Time = time ?? TimeProvider.System;
    }

    public HttpClient Http { get; }

    /// <summary>The clock of waits and back-off.</summary>
    public TimeProvider Time { get; }

    /// <summary>A request to <paramref name="path"/> (relative to the server) carrying the API key.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_server, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return request;
    }

    /// <summary>An error answer's body as an exception repeats it: at most <see cref="MaxErrorBodyLength"/> characters.</summary>
    public static string ErrorBody(string body) => body.Length > MaxErrorBodyLength ? body[..MaxErrorBodyLength] : body;

    /// <summary>
    /// True for what may pass on a retry: an answer of 408, 429 or 5xx (<paramref name="status"/>, from the client's
    /// own exception), a network failure, or an HTTP time-out (a cancellation the caller did not ask for).
    /// </summary>
    public static bool IsTransient(Exception e, int? status, CancellationToken cancellationToken) => e switch
    {
        _ when status is >= 500 or 408 or 429 => true,
        HttpRequestException => true,
        TaskCanceledException when !cancellationToken.IsCancellationRequested => true,
        _ => false,
    };
}
