using System.Text;
using CdnProxy.Core.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

public class ContentTypeSnifferTests
{
    [Theory]
    [InlineData("FFD8FFE0", "image/jpeg")]
    [InlineData("FFD8FFDB", "image/jpeg")]
    [InlineData("89504E470D0A1A0A", "image/png")]
    [InlineData("474946383961", "image/gif")]
    [InlineData("474946383761", "image/gif")]
    [InlineData("52494646000000005745425056503820", "image/webp")]
    [InlineData("0000001C6674797061766966", "image/avif")]
    [InlineData("0000001C6674797061766973", "image/avif")]
    [InlineData("000000186674797068656963", "image/heic")]
    [InlineData("000000186674797068656978", "image/heic")]
    [InlineData("424D8A000000000000008A0000007C000000", "image/bmp")]
    [InlineData("424D46000000000000003600000028000000", "image/bmp")]
    [InlineData("0000001C667479706D696631", "image/heif")]
    [InlineData("49492A00", "image/tiff")]
    [InlineData("4D4D002A", "image/tiff")]
    public void Sniff_Signature_ReturnsMediaType(string hex, string expected)
    {
        Assert.Equal(expected, ContentTypeSniffer.Sniff(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FFD8")]
    [InlineData("89504E")]
    [InlineData("52494646000000005741564520")]
    [InlineData("3C737667")]
    [InlineData("424D")]
    [InlineData("424D46000000000000003600000099000000")]
    [InlineData("00000000")]
    public void Sniff_UnknownOrTooShort_ReturnsOctetStream(string hex)
    {
        Assert.Equal("application/octet-stream", ContentTypeSniffer.Sniff(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Sniff_Text_ReturnsOctetStream()
    {
        Assert.Equal("application/octet-stream", ContentTypeSniffer.Sniff(Encoding.ASCII.GetBytes("<svg xmlns='x'/>")));
    }

    [Theory]
    [InlineData("photo-3mp-flower.jpg", "image/jpeg")]
    [InlineData("alpha-500-tulips.png", "image/png")]
    [InlineData("anim-2frames.gif", "image/gif")]
    [InlineData("rose-lossy-alpha.webp", "image/webp")]
    public void Sniff_SampleFile_ReturnsItsType(string sample, string expected)
    {
        Assert.Equal(expected, ContentTypeSniffer.Sniff(TestImages.Read(TestImages.Sample(sample))));
    }
}
