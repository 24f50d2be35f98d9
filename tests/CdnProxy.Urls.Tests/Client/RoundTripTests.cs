using System.Text.Json;
using CdnProxy.Urls.Client;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>
/// Every URL shape of spec §1.1 (A–H), with options, parses to an object that builds the same URL, which parses to the
/// same object: UrlToObj(ObjToUrl(x)) == x.
/// </summary>
public class RoundTripTests
{
    [Theory]
    [InlineData("https://cdn.pixelbin.io/v2/demo/t.resize(h:100,w:100)/path/to/image.jpeg", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/FIDrmb/original/images/logo.png", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/wrkr/resize:w200,h200/image.jpeg", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/fyndnp/wrkr/misc/general/free/original/abc.jpg", false)]
    [InlineData("https://assets.example.com/v2/t.flip()/images/logo.png", true)]
    [InlineData("https://assets.example.com/v2/wrkr/images/logo.png", true)]
    [InlineData("https://assets.example.com/v2/FIDrmb/original/images/logo.png", true)]
    [InlineData("https://assets.example.com/v2/FIDrmb/wrkr/images/logo.png", true)]
    [InlineData("https://cdn.pixelbin.io/v1/demo/original/a%20b/c%C3%A9.jpg?dpr=auto&f_auto=true", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/wrkr/a.jpg?dpr=2", false)]
    [InlineData("https://assets.example.com/v2/wrkr/a.jpg?f_auto=true", true)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/p:thumb~t.flip()/a.jpg", false)]
    [InlineData("https://cdn.pixelbin.io/v2/demo/p.apply(n:thumb)/a.jpg", false)]
    public void EveryShape_ParsesAndBuildsBackToTheSameUrlAndObject(string url, bool custom)
    {
        var obj = PixelbinUrls.UrlToObj(url, custom);
        var built = PixelbinUrls.ObjToUrl(obj);
        Assert.Equal(url, built);
        var again = PixelbinUrls.UrlToObj(built, custom);
        Assert.Equal(JsonSerializer.Serialize(obj), JsonSerializer.Serialize(again));
        Assert.Equal(custom, again.IsCustomDomain);
    }
}
