using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CdnProxy.Urls.Security;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>A server with the API on (key <see cref="ApiKey"/>), and the calls the upload tests make against it.</summary>
internal sealed class UploadTestClient : IDisposable
{
    public const string ApiKey = "upload-tests-key-0123456789abcdef0123456789";

    public UploadTestClient(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["CdnProxy:Api:Keys:0"] = ApiKey };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        Factory = new CdnProxyFactory(all);
        Http = Factory.CreateClient();
    }

    public CdnProxyFactory Factory { get; }

    public HttpClient Http { get; }

    /// <summary>The local folder of the shipped writable cloud <c>uploads</c>.</summary>
    public string UploadsFolder => Path.Combine(Factory.DataFolder, "uploads");

    /// <summary>A Pixelbin-style multipart upload; fields in the order given, then the file.</summary>
    public static MultipartFormDataContent Form(byte[] file, string fileName = "upload.jpg", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        return form;
    }

    public async Task<(HttpResponseMessage Response, JsonObject? Json)> UploadAsync(HttpContent form, string? key = ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/upload") { Content = form };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await Http.SendAsync(request);
        return (response, await JsonOf(response));
    }

    public async Task<(HttpResponseMessage Response, JsonObject? Json)> ApiAsync(HttpMethod method, string path, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add("x-api-key", ApiKey);
        var response = await Http.SendAsync(request);
        return (response, await JsonOf(response));
    }

    /// <summary>Sends a request with <paramref name="key"/> as its bearer token.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Http.SendAsync(request);
    }

    /// <summary>GETs a CDN URL (absolute or a path), signed with the test factory's signing key when asked.</summary>
    public Task<HttpResponseMessage> GetImageAsync(string url, bool signed = false)
    {
        var absolute = url.StartsWith("http", StringComparison.Ordinal) ? url : "http://localhost" + url;
        if (signed)
        {
            absolute = UrlSigner.Sign(absolute, 600, CdnProxyFactory.SigningAccessKey, CdnProxyFactory.SigningToken, TimeProvider.System);
        }

        return Http.GetAsync(new Uri(absolute).PathAndQuery);
    }

    public void Dispose()
    {
        Http.Dispose();
        Factory.Dispose();
    }

    private static async Task<JsonObject?> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
    }
}
