using System.Net;
using System.Net.Sockets;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>The read side: which sources decode, how they come out, and what is refused.</summary>
public class SourceFormatReadTests
{
    // JPEG, PNG, WebP and GIF sources: ToFormatTests.Render_WithoutToFormat_KeepsTheSourceFormat.
    [Fact]
    public void Render_AvifSource_DecodesAndStaysAvif()
    {
        var avif = TestImages.Read(TestImages.Asset("derived/seeding-2000.avif"));

        var result = RenderHarness.Render(avif, "t.resize(w:200)");

        Assert.Equal("image/avif", result.ContentType);
        Assert.Equal((200, 113), (result.Width, result.Height));
    }

    [Fact]
    public void Render_TiffSource_DecodesAndStaysTiff()
    {
        var tiff = RenderHarness.Render(TestImages.Read(TestImages.Flower), "t.resize(w:300)~t.toFormat(f:tiff)").Bytes;

        var result = RenderHarness.Render(tiff, "t.resize(w:100)");

        Assert.Equal("image/tiff", result.ContentType);
        Assert.Equal((100, 67), (result.Width, result.Height));
    }

    // The engine's libheif has no HEVC decoder: a HEIC original is a clear 415, not a "corrupt image" 422.
    [Fact]
    public void Render_HeicSource_UnsupportedFormat()
    {
        var heic = TestImages.Read(TestImages.Asset("derived/seeding-2000.heic"));

        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(heic, "t.resize(w:100)"));

        Assert.Equal(CdnErrorKind.UnsupportedFormat, e.Kind);
        Assert.Contains("HEIC", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("original", "png")]
    [InlineData("t.resize(w:32)", "png")]
    [InlineData("t.toFormat(f:jpeg)", "jpeg")]
    [InlineData("t.toFormat(f:webp)", "webp")]
    public void Render_16BitPng_ComesOutAs8Bit(string pattern, string format)
    {
        var png16 = TestImages.Read(TestImages.Asset("png16-64px-rec2020-linear.png"));
        using (var source = ImageProbe.Open(png16))
        {
            Assert.Equal(NetVips.Enums.BandFormat.Ushort, source.BandFormat);
        }

        var result = RenderHarness.Render(png16, pattern);
        using var probe = ImageProbe.Open(result.Bytes);

        Assert.Equal("image/" + format, result.ContentType);
        Assert.Equal(NetVips.Enums.BandFormat.Uchar, probe.BandFormat);
        Assert.Equal(NetVips.Enums.Interpretation.Srgb, probe.Interpretation);
        if (format == "png")
        {
            Assert.Equal(8, result.Bytes[24]); // IHDR bit depth
        }
    }

    [Fact]
    public void Render_SvgOriginal_IsRasterisedToPng()
    {
        var svg = TestImages.Read(TestImages.Asset("svg-w3c-gradients.svg"));

        var result = RenderHarness.Render(svg, "original");

        Assert.Equal("image/png", result.ContentType);
        Assert.Equal(-1, result.Bytes.AsSpan().IndexOf("<svg"u8));
    }

    [Fact]
    public void Render_SvgWithExternalReferences_FetchesNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var secret = Path.Combine(Path.GetTempPath(), $"cdnproxy-svg-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(secret, RenderHarness.Render(TestImages.Read(TestImages.Flower), "t.resize(w:40)~t.toFormat(f:png)").Bytes);
        try
        {
            var svg = $"""
                <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">
                  <rect width="40" height="20" fill="#00ff00"/>
                  <image x="0" y="0" width="20" height="20" xlink:href="http://127.0.0.1:{port}/leak.png"/>
                  <image x="20" y="0" width="20" height="20" xlink:href="file://{secret}"/>
                </svg>
                """;
            var result = RenderHarness.Render(System.Text.Encoding.UTF8.GetBytes(svg), "original");
            using var probe = ImageProbe.Open(result.Bytes);

            Assert.False(listener.Pending(), "the SVG renderer connected to an external URL");
            Assert.Equal([0, 255, 0], probe.Pixel(10, 10)[..3]);
            Assert.Equal([0, 255, 0], probe.Pixel(30, 10)[..3]);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Theory]
    [InlineData("edge/svg/billion-laughs-pattern.svg")]
    [InlineData("edge/svg/xinclude-etc-passwd.svg")]
    [InlineData("edge/svg/compressed.svgz")]
    public void Render_HostileSvg_RendersSafelyOrIsRefused(string fetched)
    {
        var path = TestImages.Fetched(fetched);
        if (path is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{fetched} missing: run scripts/setup.sh --for-tests");
            return;
        }

        try
        {
            var result = RenderHarness.Render(TestImages.Read(path), "t.resize(w:200)");

            Assert.Equal("image/png", result.ContentType);
            Assert.Equal(-1, result.Bytes.AsSpan().IndexOf("root:"u8));
        }
        catch (CdnException e)
        {
            Assert.Contains(e.Kind, new[] { CdnErrorKind.UnsupportedFormat, CdnErrorKind.UndecodableImage, CdnErrorKind.LimitExceeded });
        }
    }
}
