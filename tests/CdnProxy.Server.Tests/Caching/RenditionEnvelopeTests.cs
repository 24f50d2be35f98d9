using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Caching;

namespace CdnProxy.Server.Tests.Caching;

public class RenditionEnvelopeTests
{
    private const string Epoch = "3q2-7wAAAAAAAAAAAAAAAA";
    private const string Key = "r:v2:demo:abc";

    private static readonly Rendition Sample = Rendition.Create([0xFF, 0xD8, 0xFF, 1, 2, 3, 4, 5], "image/jpeg", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));

    [Fact]
    public void RoundTrip_KeepsBytesContentTypeETagCreationAndEpoch()
    {
        Assert.True(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample, Epoch, Key), Key, out var read, out var epoch));

        Assert.Equal(Sample.Bytes, read!.Bytes);
        Assert.Equal(Sample.ContentType, read.ContentType);
        Assert.Equal(Sample.ETag, read.ETag);
        Assert.Equal(Sample.Created, read.Created);
        Assert.Equal(Epoch, epoch);
    }

    [Theory]
    [InlineData(AssetAccess.PublicRead)]
    [InlineData(AssetAccess.Private)]
    public void RoundTrip_KeepsTheAccess_SoARedisHitOfAPrivateFileStillNeedsASignature(AssetAccess access)
    {
        var value = RenditionEnvelope.Write(Sample with { Access = access }, "e1", Key);

        Assert.True(RenditionEnvelope.TryRead(value, Key, out var read, out _));
        Assert.Equal(access, read!.Access);
    }

    [Fact]
    public void AnUnknownAccessByte_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample with { Access = AssetAccess.Private }, "e1", Key);
        var accessAt = value.Length - Sample.Bytes.Length - 4 - 1;
        value[accessAt] = 7;

        Assert.False(RenditionEnvelope.TryRead(value, Key, out _, out _));
    }

    [Fact]
    public void Head_IsTheValuesFirstBytes()
    {
        var value = RenditionEnvelope.Write(Sample, Epoch, Key);

        Assert.Equal(RenditionEnvelope.Head(Epoch), value[..RenditionEnvelope.Head(Epoch).Length]);
        Assert.NotEqual(RenditionEnvelope.Head(Epoch), RenditionEnvelope.Write(Sample, Epoch + "x", Key)[..RenditionEnvelope.Head(Epoch).Length]);
    }

    [Fact]
    public void EveryTruncation_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample, Epoch, Key);

        for (var length = 0; length < value.Length; length++)
        {
            Assert.False(RenditionEnvelope.TryRead(value.AsSpan(0, length), Key, out _, out _), $"accepted {length} of {value.Length} bytes");
        }
    }

    [Fact]
    public void TrailingBytes_AreRejected() =>
        Assert.False(RenditionEnvelope.TryRead([.. RenditionEnvelope.Write(Sample, Epoch, Key), 0], Key, out _, out _));

    [Fact]
    public void AnotherVersion_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample, Epoch, Key);
        value[0] = 1;

        Assert.False(RenditionEnvelope.TryRead(value, Key, out _, out _));
    }

    [Fact]
    public void AValueWrittenForAnotherKey_IsRejected() =>
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample, Epoch, Key), "r:v2:demo:abd", out _, out _));

    [Fact]
    public void AnEmptyEpoch_IsRejected() =>
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample, string.Empty, Key), Key, out _, out _));

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/javascript")]
    [InlineData("application/json; charset=utf-7")]
    public void ContentTypeNeitherAnImageNorInfoJson_IsRejected(string contentType) =>
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample with { ContentType = contentType }, Epoch, Key), Key, out _, out _));

    [Fact]
    public void InfoJson_IsRead() =>
        Assert.True(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Rendition.Create("{\"width\":40}"u8.ToArray(), "application/json", Sample.Created), Epoch, Key), Key, out _, out _));

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/webp")]
    [InlineData("image/avif")]
    [InlineData("application/json")]
    public void ContentTypeThatIsNotWhatTheBodyIs_IsRejected(string contentType) =>
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample with { ContentType = contentType }, Epoch, Key), Key, out _, out _));

    [Fact]
    public void AnETagThatIsNotTheHashOfTheBody_IsRejected()
    {
        var value = RenditionEnvelope.Write(Sample, Epoch, Key);
        value[^1] ^= 0x01; // one bit of the body: same length, same headers

        Assert.True(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample, Epoch, Key), Key, out _, out _));
        Assert.False(RenditionEnvelope.TryRead(value, Key, out _, out _));
        Assert.False(RenditionEnvelope.TryRead(RenditionEnvelope.Write(Sample with { ETag = "\"forged\"" }, Epoch, Key), Key, out _, out _));
    }

    [Fact]
    public void ControlCharactersInHeaders_AreRejected()
    {
        var value = RenditionEnvelope.Write(Sample, Epoch, Key);
        value[RenditionEnvelope.Head(Epoch).Length + 8 + 1] = (byte)'\n'; // first byte of the content type

        Assert.False(RenditionEnvelope.TryRead(value, Key, out _, out _));
    }

    [Fact]
    public void RandomBytes_AreRejected()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var value = new byte[random.Next(0, 64)];
            random.NextBytes(value);
            Assert.False(RenditionEnvelope.TryRead(value, Key, out _, out _));
        }
    }
}
