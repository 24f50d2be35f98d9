using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Tests.Caching;

public class RenditionTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Create_ETag_IsStrongAndQuoted()
    {
        var etag = Rendition.Create([1, 2, 3], "image/png", Now).ETag;

        Assert.False(etag.StartsWith("W/", StringComparison.Ordinal));
        Assert.StartsWith("\"", etag, StringComparison.Ordinal);
        Assert.EndsWith("\"", etag, StringComparison.Ordinal);
        Assert.Equal(26, etag.Length);
        Assert.DoesNotContain('"', etag[1..^1]);
    }

    [Fact]
    public void Create_SameBytes_SameETag()
    {
        Assert.Equal(
            Rendition.Create([1, 2, 3], "image/png", Now).ETag,
            Rendition.Create([1, 2, 3], "image/jpeg", Now.AddDays(1)).ETag);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 4 })]
    [InlineData(new byte[] { 1, 2 })]
    [InlineData(new byte[] { 1, 2, 3, 0 })]
    [InlineData(new byte[0])]
    public void Create_DifferentBytes_DifferentETag(byte[] other)
    {
        Assert.NotEqual(Rendition.Create([1, 2, 3], "image/png", Now).ETag, Rendition.Create(other, "image/png", Now).ETag);
    }

    [Fact]
    public void Create_KeepsBytesTypeAndTime()
    {
        byte[] bytes = [9, 8, 7];

        var rendition = Rendition.Create(bytes, "image/webp", Now);

        Assert.Same(bytes, rendition.Bytes);
        Assert.Equal("image/webp", rendition.ContentType);
        Assert.Equal(Now, rendition.Created);
    }
}
