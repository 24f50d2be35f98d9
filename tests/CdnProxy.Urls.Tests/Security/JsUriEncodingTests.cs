using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class JsUriEncodingTests
{
    [Fact]
    public void EncodeUri_ReservedAndUnreserved_AreKept()
    {
        const string kept = "ABCXYZabcxyz0189;,/?:@&=+$-_.!~*'()#";

        Assert.Equal(kept, JsUriEncoding.EncodeUri(kept));
    }

    [Theory]
    [InlineData("a%20b", "a%2520b")]
    [InlineData("%", "%25")]
    [InlineData(" ", "%20")]
    [InlineData("[]^|\"<>`{}\\", "%5B%5D%5E%7C%22%3C%3E%60%7B%7D%5C")]
    [InlineData("é", "%C3%A9")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("\u007f\u0000", "%7F%00")]
    // Node 20: encodeURI("a%20b;,/?:@&=+$-_.!~*'()#[]^|\"é😀 ")
    [InlineData("a%20b;,/?:@&=+$-_.!~*'()#[]^|\"é😀 ", "a%2520b;,/?:@&=+$-_.!~*'()#%5B%5D%5E%7C%22%C3%A9%F0%9F%98%80%20")]
    public void EncodeUri_OtherCharacters_ArePercentEncodedUtf8WithUppercaseHex(string input, string expected)
    {
        Assert.Equal(expected, JsUriEncoding.EncodeUri(input));
    }

    [Fact]
    public void EncodeUri_LoneSurrogate_IsRefused()
    {
        // Not [InlineData]: attribute strings are stored as UTF-8, which would turn lone surrogates into U+FFFD.
        foreach (var input in new[] { "a\ud800", "\udc00b", "\udc00\ud800", "\ud800" })
        {
            Assert.Throws<ArgumentException>(() => JsUriEncoding.EncodeUri(input));
            Assert.False(JsUriEncoding.TryEncodeUri(input, out _));
        }
    }
}
