using System.Net.Http.Headers;
using System.Text;
using CdnProxy.Server.Tests.Jobs;
using CdnProxy.Server.Tests.Uploads;

namespace CdnProxy.Server.Tests.Http;

/// <summary>
/// A JSON body that names a property twice is refused with 400 on every API that reads JSON. Before, the job faces
/// answered 500, and a repeated key inside a job's <c>data</c> was stored and broke every later search of its owner's jobs.
/// </summary>
public sealed class DuplicateJsonKeyTests : IDisposable
{
    private const string Photo = "cloud://demo/photo-3mp-flower.jpg";

    private readonly UploadTestClient _client = new(JobFaceServer.Settings());

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("POST", "/api/v1/jobs", "{\"input\":{\"a\":\"" + Photo + "\"},\"input\":{\"b\":\"x\"},\"output\":[{\"pattern\":\"t.resize(w:40)\"}]}")]
    [InlineData("POST", "/api/v1/jobs", "{\"input\":{\"a\":\"" + Photo + "\"},\"output\":[{\"pattern\":\"t.resize(w:40)\"}],\"data\":{\"x\":1,\"x\":2}}")]
    [InlineData("POST", "/job/new", "{\"task\":9,\"task\":9,\"url\":\"" + Photo + "\"}")]
    [InlineData("POST", "/api/v1/predictions", "{\"name\":\"enhance_magic\",\"input\":{\"image\":\"" + Photo + "\",\"ai\":1,\"ai\":2}}")]
    [InlineData("POST", "/api/v1/upload/signed-url", "{\"name\":\"a\",\"name\":\"b\",\"format\":\"jpeg\"}")]
    [InlineData("PATCH", "/api/v1/assets/uploads/whatever.jpg", "{\"metadata\":{\"x\":1,\"x\":2}}")]
    [InlineData("DELETE", "/api/v1/purge", "{\"cloud\":\"demo\",\"cloud\":\"other\",\"filePath\":\"a.jpg\"}")]
    public async Task ARepeatedProperty_IsA400(string method, string path, string json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UploadTestClient.ApiKey);

        using var response = await _client.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 400, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("JSON", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatedPropertyInAnUploadsMetadata_IsA400()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(GeneratedImages.Png(8, 8)), "file", "a.png" },
            { new StringContent("{\"x\":1,\"x\":2}"), "metadata" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/upload") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UploadTestClient.ApiKey);

        using var response = await _client.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 400, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("metadata", body, StringComparison.Ordinal);
    }
}
