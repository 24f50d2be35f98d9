using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Jobs;
using CdnProxy.Server.Tests.Uploads;

namespace CdnProxy.Server.Tests.Http;

/// <summary>
/// Form bodies a client breaks (a multipart body cut short inside a part, a multipart type without a boundary) are
/// the client's error on every endpoint that reads a form: 400 with the face's JSON error, never a 500 (each was one).
/// Pixble's <c>/job/new</c> may carry its key in the body, so an anonymous client reaches the parser there: 401.
/// </summary>
public sealed class MalformedFormBodyTests : IDisposable
{
    private const string CutShortField = "--abc\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\n9";
    private const string CutShortFile = "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nxx";

    private readonly UploadTestClient _client = new(JobFaceServer.Settings());

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("/api/v1/upload", CutShortFile, "boundary=abc", 400, "malformed or incomplete")]
    [InlineData("/api/v1/upload", CutShortField, "boundary=abc", 400, "malformed or incomplete")]
    [InlineData("/store", CutShortFile, "boundary=abc", 400, "malformed or incomplete")]
    [InlineData("/api/v1/predictions/erase/bg", CutShortFile, "boundary=abc", 400, "malformed or incomplete")]
    [InlineData("/api/v1/predictions/erase/bg", "x", "boundary=", 400, "malformed or incomplete")]
    [InlineData("/job/new", CutShortFile, "boundary=abc", 400, "malformed or incomplete")]
    public async Task ABrokenFormBody_IsAJson400_OnEveryFace(string path, string body, string boundary, int status, string message)
    {
        var (code, json) = await PostAsync(path, body, boundary, UploadTestClient.ApiKey);

        Assert.Equal(status, code);
        Assert.Contains(message, json.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CutShortField, "boundary=abc")]
    [InlineData("x", "boundary=")]
    public async Task ABrokenPixbleBody_WithoutAKeyElsewhere_IsAJson401(string body, string boundary)
    {
        // The key could only have come from the body, which cannot be read: refused as unauthenticated, at once.
        var (code, json) = await PostAsync("/job/new", body, boundary, key: null);

        Assert.Equal(401, code);
        Assert.Equal("api_key_invalid", (string?)json["error_code"]);
    }

    private async Task<(int Status, JsonObject Json)> PostAsync(string path, string body, string boundary, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; " + boundary);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await _client.Http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
