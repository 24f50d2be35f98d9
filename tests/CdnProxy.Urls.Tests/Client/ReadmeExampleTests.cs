using CdnProxy.Urls.Client;
using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>The client-library example in README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_BuildsSignsAndParsesBack()
    {
        const string secretToken = "tok_ABC";
        var pattern = Basic.Resize(width: 300).Pipe(Basic.Flip()).Pipe(Basic.ToFormat(format: "webp", quality: "80"));
        var url = new PixelbinImage("demo", "path/to/image.jpeg", baseUrl: "https://img.example.com") { Transformation = pattern }.GetUrl();
        var signed = UrlSigner.Sign(url, expirySeconds: 3600, accessKey: "ak-42", token: secretToken, TimeProvider.System);
        var parsed = PixelbinUrls.UrlToObj(signed);

        Assert.Equal("https://img.example.com/v2/demo/t.resize(w:300)~t.flip()~t.toFormat(f:webp,q:80)/path/to/image.jpeg", url);
        Assert.StartsWith(url + "?pbs=", signed, StringComparison.Ordinal);
        Assert.Equal("demo", parsed.CloudName);
        Assert.Equal(3, parsed.Transformations.Count);
    }
}
