using CdnProxy.Core.Caching;
using CdnProxy.Server.Caching;

namespace CdnProxy.Server.Tests.Caching;

public class RenditionEnvelopeTests
{
    private static readonly Rendition Sample = Rendition.Create([0xFF, 0xD8, 0xFF, 1, 2, 3, 4, 5], "image/jpeg", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));

    [Fact]
    public void RoundTrip_KeepsBytesContentTypeETagAndCreation()
    {
        Assert.True(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample), out var read));

        Assert.Equal(Sample.Bytes, read!.Bytes);
        Assert.Equal(Sample.ContentType, read.ContentType);
        Assert.Equal(Sample.ETag, read.ETag);
        Assert.Equal(Sample.Created, read.Created);
    }

    [Fact]
    public void EveryTruncation_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample);

        for (var length = 0; length < value.Length; length++)
        {
            Assert.False(RenditionEnvelope.TryRead(value.AsSpan(0, length), out _), $"accepted {length} of {value.Length} bytes");
        }
    }

    [Fact]
    public void TrailingBytes_AreRejected() =>
        Assert.False(RenditionEnvelope.TryRead([.. RenditionEnvelope.Write(Sample), 0], out _));

    [Fact]
    public void AnotherVersion_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample);
        value[0] = 2;

        Assert.False(RenditionEnvelope.TryRead(value, out _));
    }

    [Fact]
    public void NonImageContentType_IsRejected() =>
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample with { ContentType = "text/html" }), out _));

    [Fact]
    public void ControlCharactersInHeaders_AreRejected()
    {
        var value = RenditionEnvelope.Write(Sample);
        value[10] = (byte)'\n'; // first byte of the content type

        Assert.False(RenditionEnvelope.TryRead(value, out _));
    }

    [Fact]
    public void RandomBytes_AreRejected()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var value = new byte[random.Next(0, 64)];
            random.NextBytes(value);
            Assert.False(RenditionEnvelope.TryRead(value, out _));
        }
    }
}
