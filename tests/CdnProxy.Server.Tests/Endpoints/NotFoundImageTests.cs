using System.Net;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Endpoints;

/// <summary>A cloud's not-found image standing in for missing originals: rendered as the URL asks, answered 404, never stored.</summary>
public sealed class NotFoundImageTests(NotFoundImageTests.Server server) : IClassFixture<NotFoundImageTests.Server>
{
    [Fact]
    public async Task AMissingOriginal_AnswersTheNotFoundImage_RenderedAsTheUrlAsks_With404AndNoStore()
    {
        using var response = await server.Client.GetAsync("/v2/held/t.resize(w:50)/missing/photo.jpg");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType); // the not-found image's own format
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Null(response.Headers.ETag);
        using var image = ImageProbe.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((50, 50), (image.Width, image.Height));
    }

    [Fact]
    public async Task TheNotFoundImage_FollowsFormatNegotiation_AndIsNeverA304()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/held/t.resize(w:40)/gone.jpg?f_auto=true");
        request.Headers.Add("Accept", "image/webp,*/*");
        request.Headers.Add("If-None-Match", "*");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["Accept"], response.Headers.Vary);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnExistingOriginal_IsServedAsEver()
    {
        using var response = await server.Client.GetAsync("/v2/held/t.resize(w:30)/photo-3mp-flower.jpg");

        using var image = await response.ReadImageAsync();
        Assert.Equal(30, image.Width);
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/v2/held/t.nope()/gone.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/v2/held/zzzzzz/t.resize(w:30)/gone.jpg", HttpStatusCode.NotFound)] // an unknown zone names nothing
    [InlineData("/v2/nothing-held/t.resize(w:30)/gone.jpg", HttpStatusCode.NotFound)] // its not-found image is missing too
    [InlineData("/v2/demo/t.resize(w:30)/gone.jpg", HttpStatusCode.NotFound)] // no not-found image configured
    [InlineData("/v2/held/t.resize(w:30)/gone.jpg?download", HttpStatusCode.NotFound)] // a download names the file: not a stand-in
    public async Task OtherFailures_KeepTheirJsonError(string path, HttpStatusCode status)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ANotFoundImageThatCannotBeServed_IsLogged_AndTheJson404Stands()
    {
        using var response = await server.Client.GetAsync("/v2/broken/t.resize(w:30)/gone.jpg");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(server.Logs.Lines, line => line.StartsWith("1003 Not-found image broken/random.jpg could not be served", StringComparison.Ordinal)
            && line.Contains(nameof(CdnProxy.Core.CdnErrorKind.UnsupportedFormat), StringComparison.Ordinal));
    }

    /// <summary>
    /// Cloud <c>held</c> stands the tulips in for missing files; <c>nothing-held</c> names a file that is missing;
    /// <c>broken</c> one that is not an image.
    /// </summary>
    public sealed class Server : IDisposable
    {
        private readonly CdnProxyFactory _factory = new(new()
        {
            ["CdnProxy:Clouds:held:Origin:Type"] = "local",
            ["CdnProxy:Clouds:held:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Clouds:held:NotFoundImage"] = "alpha-500-tulips.png",
            ["CdnProxy:Clouds:nothing-held:Origin:Type"] = "local",
            ["CdnProxy:Clouds:nothing-held:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Clouds:nothing-held:NotFoundImage"] = "placeholders/none.png",
            ["CdnProxy:Clouds:broken:NotFoundImage"] = "random.jpg",
        });

        public Server()
        {
            Client = _factory.CreateClient();
        }

        public HttpClient Client { get; }

        internal CapturingLoggerProvider Logs => _factory.Logs;

        public void Dispose()
        {
            Client.Dispose();
            _factory.Dispose();
        }
    }
}
