using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

/// <summary>The Content-Type of every output format over HTTP, read from the bytes produced.</summary>
public sealed class OutputFormatEndpointTests : IClassFixture<CdnProxyFactory>
{
    private readonly HttpClient _client;

    public OutputFormatEndpointTests(CdnProxyFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Theory]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("png", "image/png")]
    [InlineData("webp", "image/webp")]
    [InlineData("avif", "image/avif")]
    [InlineData("gif", "image/gif")]
    [InlineData("tiff", "image/tiff")]
    [InlineData("bmp", "image/bmp")]
    public async Task Get_ToFormat_HasTheFormatsContentType(string format, string contentType)
    {
        using var response = await _client.GetAsync($"/v2/demo/t.resize(w:48)~t.toFormat(f:{format})/alpha-500-tulips.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(response.Content.Headers.ContentLength, body.Length);
    }

    // This engine encodes HEIF with AV1 (no HEVC encoder): the file is an AVIF and is labelled as one.
    [Fact]
    public async Task Get_Heif_IsAHeifContainerLabelledByItsCodec()
    {
        using var response = await _client.GetAsync("/v2/demo/t.resize(w:48)~t.toFormat(f:heif,q:eco)/photo-3mp-flower.jpg");
        using var image = await response.ReadImageAsync();

        Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "image/avif", "image/heic" });
        Assert.Equal("VipsForeignLoadHeifBuffer", image.Loader);
        Assert.False(image.HasExifOrIcc);
    }

    [Fact]
    public async Task Get_SvgOriginal_IsServedAsPngNeverSvg()
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-svg-");
        try
        {
            File.Copy(TestImages.Asset("svg-w3c-gradients.svg"), Path.Combine(folder.FullName, "drawing.svg"));
            await using var factory = new CdnProxyFactory(new Dictionary<string, string?>
            {
                ["CdnProxy:Clouds:vector:Origin:Type"] = "local",
                ["CdnProxy:Clouds:vector:Origin:Root"] = folder.FullName,
            });
            using var response = await factory.CreateClient().GetAsync("/v2/vector/original/drawing.svg");
            using var image = await response.ReadImageAsync();

            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((480, 360), (image.Width, image.Height));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
