using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

/// <summary>Issue 4's animation acceptance, over HTTP: animations stay animated, still formats get the first frame, the frame cap answers 422.</summary>
public sealed class AnimationEndpointTests : IDisposable
{
    private readonly CdnProxyFactory _factory = new(new Dictionary<string, string?> { ["CdnProxy:Limits:MaxFrames"] = "100" });

    public AnimationEndpointTests()
    {
        File.Copy(TestImages.Asset("derived/anim-2frames-350.webp"), Path.Combine(_factory.BrokenFolder, "anim.webp"));
    }

    [Theory]
    [InlineData("/v2/demo/t.resize(w:350)~t.flip()/anim-2frames.gif", "image/gif", 350, 88, new[] { 1000, 1000 }, 0)]
    [InlineData("/v2/broken/t.resize(w:175)~t.flip()/anim.webp", "image/webp", 175, 44, new[] { 300, 700 }, 3)]
    [InlineData("/v2/demo/t.resize(w:350)~t.flip()/anim-2frames.gif?f_auto=true", "image/webp", 350, 88, new[] { 1000, 1000 }, 0)]
    public async Task ResizedAndFlipped_ComesBackAnimated(string url, string contentType, int width, int height, int[] delays, int loop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept", "image/avif,image/webp,*/*");
        using var response = await _factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        using var probe = ImageProbe.OpenAllFrames(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal((2, width, height), (probe.FramesDecoded, probe.Width, probe.PageHeight));
        Assert.Equal(delays, probe.Delays);
        Assert.Equal(loop, probe.Loop);

        // Each frame flipped on its own: the flipped first frame's bottom row is the unflipped first frame's top row.
        using var unflipped = ImageProbe.OpenAllFrames(await _factory.CreateClient().GetByteArrayAsync(url.Replace("~t.flip()", string.Empty, StringComparison.Ordinal)));
        for (var frame = 0; frame < 2; frame++)
        {
            for (var x = 5; x < width; x += 20)
            {
                Assert.Equal(unflipped.FramePixel(frame, x, 0)[0], probe.FramePixel(frame, x, height - 1)[0], tolerance: 12.0);
            }
        }
    }

    [Theory]
    [InlineData("t.resize(w:350)~t.toFormat(f:jpeg)", "image/jpeg")]
    [InlineData("t.resize(w:350)~t.toFormat(f:avif)", "image/avif")]
    public async Task StillFormat_GetsTheFirstFrame(string pattern, string contentType)
    {
        var client = _factory.CreateClient();
        using var response = await client.GetAsync($"/v2/demo/{pattern}/anim-2frames.gif");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        using var still = await response.ReadImageAsync();
        using var first = ImageProbe.OpenAllFrames(await client.GetByteArrayAsync("/v2/demo/t.resize(w:350)/anim-2frames.gif"));

        Assert.Equal((350, 88), (still.Width, still.Height));
        double Distance(int frame) =>
            (from x in Enumerable.Range(0, 35) from y in Enumerable.Range(0, 11)
             select Math.Abs(still.Pixel(x * 10, y * 8)[1] - first.FramePixel(frame, x * 10, y * 8)[1])).Average();
        Assert.True(Distance(0) < 8 && Distance(1) > 2 * Distance(0), $"first frame {Distance(0)}, second frame {Distance(1)}");
    }

    [Fact]
    public async Task OverTheFrameCap_Is422WithAClearMessage()
    {
        using var capped = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Limits:MaxFrames"] = "1" });
        var client = capped.CreateClient();

        using var response = await client.GetAsync("/v2/demo/t.flip()/anim-2frames.gif");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("\"limit_exceeded\"", body, StringComparison.Ordinal);
        Assert.Contains("2 frames", body, StringComparison.Ordinal);

        using var still = await client.GetAsync("/v2/demo/t.flip()~t.toFormat(f:jpeg)/anim-2frames.gif");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
