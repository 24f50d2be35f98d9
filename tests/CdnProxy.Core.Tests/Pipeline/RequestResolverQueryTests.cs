using CdnProxy.Core.Pipeline;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Pipeline;

/// <summary>The query options <c>f_auto</c> and <c>dpr</c>: every spelling of one meaning is one rendition.</summary>
public sealed class RequestResolverQueryTests
{
    private const string Resize = "/v2/demo/t.resize(w:300)/flower.jpg";

    private readonly RequestResolver _resolver = TestResolvers.For(new FakeOriginStore("demo"));

    [Theory]
    [InlineData("TRUE")]
    [InlineData("True")]
    [InlineData("tRuE")]
    public void FormatAuto_TrueInAnyLetterCase_IsTheSameRenditionAsTrue(string value)
    {
        var expected = Resolve(new ImageRequest(Resize) { FormatAuto = "true", Accept = "image/webp" });

        var resolved = Resolve(new ImageRequest(Resize) { FormatAuto = value, Accept = "image/webp" });

        Assert.True(resolved.VariesByAccept);
        Assert.Equal(expected.Key, resolved.Key);
        Assert.NotEqual(Resolve(new ImageRequest(Resize)).Key, resolved.Key);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("")]
    public void FormatAuto_AnythingButTrue_IsOff_AsTheSpecSays(string value)
    {
        var resolved = Resolve(new ImageRequest(Resize) { FormatAuto = value, Accept = "image/webp" });

        Assert.False(resolved.VariesByAccept);
        Assert.Equal(Resolve(new ImageRequest(Resize)).Key, resolved.Key);
    }

    [Theory]
    [InlineData("AUTO", "2")]
    [InlineData("auto", "2.001")]
    [InlineData("Auto", "2.0000001")]
    public void DprAuto_AnySpellingAndHintsOfOneRounding_AreTheRenditionOfTheNumber(string dpr, string hint)
    {
        var resolved = Resolve(new ImageRequest(Resize, Dpr: dpr, ClientHintDpr: hint));

        Assert.Equal(Resolve(new ImageRequest(Resize, Dpr: "2")).Key, resolved.Key);
    }

    private ResolvedRequest Resolve(ImageRequest request) => _resolver.Resolve(request);
}
