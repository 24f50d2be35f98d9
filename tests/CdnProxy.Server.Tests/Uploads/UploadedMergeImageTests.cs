using System.Net;
using System.Text;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// A merge image that was missing is remembered as missing under each name it was looked for (so a missing one does
/// not cost every request seven origin reads), and the upload that provides it makes it found at once.
/// </summary>
public sealed class UploadedMergeImageTests : IDisposable
{
    private readonly UploadTestClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task MissingMergeImage_Is404_UntilItIsUploaded_ThenMerged()
    {
        var photo = await _client.UploadAsync(UploadTestClient.Form(TestImages.Read(TestImages.Flower), "flower.jpg", ("name", "photo")));
        Assert.Equal(HttpStatusCode.OK, photo.Response.StatusCode);
        var logoId = Convert.ToBase64String(Encoding.UTF8.GetBytes("brand/logo")).TrimEnd('=');
        var url = $"/v2/uploads/t.resize(w:200)~t.merge(i:{logoId},g:northwest)/photo.jpeg";

        using (var missing = await _client.GetImageAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var stillMissing = await _client.GetImageAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, stillMissing.StatusCode);
        }

        var logo = await _client.UploadAsync(UploadTestClient.Form(TestImages.Read(TestImages.Sample("alpha-500-tulips.png")), "tulips.png", ("path", "brand"), ("name", "logo")));
        Assert.Equal("brand/logo.png", (string?)logo.Json!["fileId"]);

        using var merged = await _client.GetImageAsync(url);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        using var probe = ImageProbe.Open(await merged.Content.ReadAsByteArrayAsync());
        Assert.Equal(200, probe.Width);
    }
}
