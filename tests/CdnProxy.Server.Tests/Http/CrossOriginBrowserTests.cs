using CdnProxy.Server.Tests.Playground;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Http;

/// <summary>
/// Another site's page reading our images, in Debian's Chromium against the server on its embedded default: the page
/// is a document at <c>localhost</c>, the images come from <c>127.0.0.1</c>: another origin to the browser.
/// </summary>
public sealed class CrossOriginBrowserTests(PlaygroundBrowserTests.Browser browser, ITestOutputHelper output)
    : IClassFixture<PlaygroundBrowserTests.Browser>, IDisposable
{
    // fetch() reads the bytes; a crossorigin image drawn on a canvas must leave it readable (a tainted canvas throws);
    // Resource Timing shows the transfer size only when the answer carries Timing-Allow-Origin.
    private const string ReadFromAnotherOrigin = """
        async url => {
            const response = await fetch(url);
            const bytes = (await response.arrayBuffer()).byteLength;
            const image = new Image();
            image.crossOrigin = 'anonymous';
            image.src = url + '?v=canvas';
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixel = context.getImageData(0, 0, 1, 1).data;
            const timing = performance.getEntriesByName(url)[0];
            return [location.origin, response.status, bytes, canvas.width, pixel[3], timing.transferSize > 0 ? 1 : 0].join(' ');
        }
        """;

    public void Dispose() => output.WriteLine(browser.Server?.Output);

    [Fact]
    public async Task APageOfAnotherOrigin_ReadsAnImagesBytesAndPixels_AndItsTimings()
    {
        if (browser.Context is null)
        {
            return;
        }

        var server = browser.Server!.BaseAddress;
        var page = await browser.Context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine("console: " + message.Text);
        await page.GotoAsync($"http://localhost:{server.Port}/healthz/live"); // a document without the playground's CSP
        var image = new Uri(server, "/v2/demo/t.resize(w:64)/photo-3mp-flower.jpg").ToString();

        var read = await page.EvaluateAsync<string>(ReadFromAnotherOrigin, image);

        var fields = read.Split(' ');
        Assert.Equal($"http://localhost:{server.Port}", fields[0]); // really another origin than the image's
        Assert.Equal(["200", "64", "255", "1"], [fields[1], fields[3], fields[4], fields[5]]);
        Assert.True(int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) > 500, read);
    }
}
